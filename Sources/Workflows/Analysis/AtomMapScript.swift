/// The WebGL script of `AtomMap`: points (hidden per element, thinned to a density control that
/// starts at about 30,000 points shown, clipped to a slab), then the iso-surfaces over them (the
/// depth buffer cleared between: the objects are never hidden behind the matrix's points), solid
/// with flat two-sided lighting along the view axis, one colour per object, an opacity control;
/// a scale bar in nm on an overlay canvas; after the first frame the attributes `data-points`
/// (points drawn) and `data-object-boxes` on the canvas.
enum AtomMapScript {
    static func source(positions: String, elements: String, triangles: String, objects: String, colors: [String], objectColors: [String],
                       hidden: [Int]) -> String {
        func list(_ c: [String]) -> String { c.map { "'\($0)'" }.joined(separator: ",") }
        return """
        (function () {
          var cv = document.getElementById('atom-map'), ov = document.getElementById('atom-map-overlay');
          var gl = cv.getContext('webgl', {antialias: true, preserveDrawingBuffer: true});
          if (!gl) { cv.setAttribute('data-points', '0'); cv.setAttribute('data-error', 'no WebGL'); return; }
          function dec(s, T) { var b = atob(s), u = new Uint8Array(b.length); for (var i = 0; i < b.length; i++) u[i] = b.charCodeAt(i); return new T(u.buffer); }
          function rgb(c) { return [parseInt(c.substr(1,2),16)/255, parseInt(c.substr(3,2),16)/255, parseInt(c.substr(5,2),16)/255]; }
          var P = dec('\(positions)', Float32Array), E = dec('\(elements)', Uint8Array);
          var T = dec('\(triangles)', Float32Array), TO = dec('\(objects)', Float32Array);
          var colors = [\(list(colors))].map(rgb), ocolors = [\(list(objectColors))].map(rgb);
          var n = E.length, nt = TO.length, lo = [1e9,1e9,1e9], hi = [-1e9,-1e9,-1e9];
          for (var i = 0; i < n; i++) for (var a = 0; a < 3; a++) { lo[a] = Math.min(lo[a], P[3*i+a]); hi[a] = Math.max(hi[a], P[3*i+a]); }
          if (!n) for (var i = 0; i < 3*nt; i++) for (var a = 0; a < 3; a++) { lo[a] = Math.min(lo[a], T[3*i+a]); hi[a] = Math.max(hi[a], T[3*i+a]); }
          var ok = lo[0] <= hi[0], ctr = [0,1,2].map(function (a) { return ok ? (lo[a]+hi[a])/2 : 0; });
          var ext = ok ? Math.max(hi[0]-lo[0], hi[1]-lo[1], hi[2]-lo[2], 1e-3) : 1;
          var C = new Float32Array(3*n), EF = new Float32Array(n), RF = new Float32Array(n), seed = 12345;
          for (var i = 0; i < n; i++) {
            var c = colors[E[i]] || [0.5,0.5,0.5]; C[3*i]=c[0]; C[3*i+1]=c[1]; C[3*i+2]=c[2]; EF[i] = E[i];
            seed = (seed * 1103515245 + 12345) % 2147483648; RF[i] = seed / 2147483648;  // each point's rank for thinning
          }
          // Per surface vertex: the triangle's unit normal and its object's colour.
          var SN = new Float32Array(9*nt), SC = new Float32Array(9*nt);
          for (var t = 0; t < nt; t++) {
            var o = 9*t, u = [T[o+3]-T[o], T[o+4]-T[o+1], T[o+5]-T[o+2]], w = [T[o+6]-T[o], T[o+7]-T[o+1], T[o+8]-T[o+2]];
            var nx = u[1]*w[2]-u[2]*w[1], ny = u[2]*w[0]-u[0]*w[2], nz = u[0]*w[1]-u[1]*w[0], l = Math.sqrt(nx*nx+ny*ny+nz*nz) || 1;
            var oc = TO[t] > 0 ? ocolors[(TO[t] - 1) % ocolors.length] : [0.6,0.6,0.6];
            for (var v = 0; v < 3; v++) { SN[o+3*v] = nx/l; SN[o+3*v+1] = ny/l; SN[o+3*v+2] = nz/l; SC[o+3*v] = oc[0]; SC[o+3*v+1] = oc[1]; SC[o+3*v+2] = oc[2]; }
          }
          function sh(t, s) { var o = gl.createShader(t); gl.shaderSource(o, s); gl.compileShader(o); return o; }
          function prog(vs, fs) { var p = gl.createProgram(); gl.attachShader(p, sh(gl.VERTEX_SHADER, vs)); gl.attachShader(p, sh(gl.FRAGMENT_SHADER, fs)); gl.linkProgram(p); return p; }
          var clip = 'uniform vec3 ax; uniform vec3 ctr; uniform float slab; float outside(vec3 p) { return (slab > 0.0 && abs(dot(ax, p - ctr)) > 0.5 * slab) ? 1.0 : 0.0; }';
          var pts = prog('attribute vec3 p; attribute vec3 c; attribute float e; attribute float r; uniform mat4 m; uniform float hide[32]; uniform float ps; uniform float keep; varying vec3 vc; varying float vh;' + clip +
                         'void main() { gl_Position = m * vec4(p, 1.0); gl_PointSize = ps; vc = c; vh = outside(p); if (r >= keep) vh = 1.0; for (int k = 0; k < 32; k++) { if (float(k) == e && hide[k] > 0.5) vh = 1.0; } }',
                         'precision mediump float; varying vec3 vc; varying float vh; void main() { if (vh > 0.5) discard; gl_FragColor = vec4(vc, 1.0); }');
          var srf = prog('attribute vec3 p; attribute vec3 q; attribute vec3 c; uniform mat4 m; varying vec3 vc; varying float vl; varying float vh;' + clip +
                         'void main() { gl_Position = m * vec4(p, 1.0); vl = 0.35 + 0.65 * abs(dot(q, ax)); vc = c; vh = outside(p); }',
                         'precision mediump float; uniform float alpha; varying vec3 vc; varying float vl; varying float vh; void main() { if (vh > 0.5) discard; gl_FragColor = vec4(vc * vl, alpha); }');
          function buf(data) { var b = gl.createBuffer(); gl.bindBuffer(gl.ARRAY_BUFFER, b); gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW); return b; }
          var bP = buf(P), bC = buf(C), bE = buf(EF), bR = buf(RF), bT = buf(T), bN = buf(SN), bS = buf(SC);
          var rx = -1.2, rz = 0.6, zoom = 1, pan = [0, 0], hidden = new Float32Array(32), showSurface = true, alpha = 0.9, slab = 0, keep = 1;
          [\(hidden.map(String.init).joined(separator: ","))].forEach(function (h, k) { if (k < 32) hidden[k] = h; });
          function rotation() { var cx = Math.cos(rx), sx = Math.sin(rx), cz = Math.cos(rz), sz = Math.sin(rz); return [cz, sz*cx, sz*sx, 0,  -sz, cz*cx, cz*sx, 0,  0, -sx, cx, 0,  0, 0, 0, 1]; }
          function scale() { return 1.4 * zoom / ext; }
          function matrix() {
            var s = scale(), asp = cv.width / cv.height, R = rotation(), M = new Float32Array(16);
            for (var c = 0; c < 3; c++) { M[4*c] = R[4*c]*s/asp; M[4*c+1] = R[4*c+1]*s; M[4*c+2] = -R[4*c+2]*s*0.5; }
            M[12] = -(M[0]*ctr[0]+M[4]*ctr[1]+M[8]*ctr[2]) + pan[0]; M[13] = -(M[1]*ctr[0]+M[5]*ctr[1]+M[9]*ctr[2]) + pan[1];
            M[14] = -(M[2]*ctr[0]+M[6]*ctr[1]+M[10]*ctr[2]); M[15] = 1; return M;
          }
          // The default view turns the tip about its axis to where the objects overlap least on
          // the screen (their projected boxes), so that each can be seen.
          function boxesAt(R) {
            var b = {};
            for (var t = 0; t < nt; t++) {
              var id = TO[t]; if (id <= 0) continue; var q = b[id] || (b[id] = [1e9, 1e9, -1e9, -1e9]);
              for (var v = 0; v < 3; v++) {
                var o = 9*t + 3*v, X = R[0]*T[o]+R[4]*T[o+1]+R[8]*T[o+2], Y = R[1]*T[o]+R[5]*T[o+1]+R[9]*T[o+2];
                q[0] = Math.min(q[0], X); q[1] = Math.min(q[1], Y); q[2] = Math.max(q[2], X); q[3] = Math.max(q[3], Y);
              }
            }
            return Object.keys(b).map(function (k) { return b[k]; });
          }
          function overlap(list) {
            var o = 0, a = 0;
            for (var i = 0; i < list.length; i++) {
              a += (list[i][2] - list[i][0]) * (list[i][3] - list[i][1]);
              for (var j = i + 1; j < list.length; j++) {
                var w = Math.min(list[i][2], list[j][2]) - Math.max(list[i][0], list[j][0]), h = Math.min(list[i][3], list[j][3]) - Math.max(list[i][1], list[j][1]);
                if (w > 0 && h > 0) o += w * h;
              }
            }
            return a > 0 ? o / a : 0;
          }
          if (nt) {
            var best = rz, bestO = 1e9;
            for (var k = 0; k < 12; k++) { rz = 0.6 + k * Math.PI / 6; var ov_ = overlap(boxesAt(rotation())); if (ov_ < bestO - 1e-3) { bestO = ov_; best = rz; } }
            rz = best;
          }
          function shown() { var k = 0; for (var i = 0; i < n; i++) if (hidden[E[i]] < 0.5) k++; return k; }
          var visible = shown();
          keep = Math.min(1, 30000 / Math.max(1, visible));
          var ds = document.querySelector('.atom-map input[data-density]'); if (ds) ds.value = String(keep);
          function attr(p, name, b, size) { var l = gl.getAttribLocation(p, name); if (l < 0) return; gl.bindBuffer(gl.ARRAY_BUFFER, b); gl.enableVertexAttribArray(l); gl.vertexAttribPointer(l, size, gl.FLOAT, false, 0, 0); }
          function off(p, names) { names.forEach(function (nm) { var l = gl.getAttribLocation(p, nm); if (l >= 0) gl.disableVertexAttribArray(l); }); }
          function common(p, M) {
            var R = rotation();
            gl.uniformMatrix4fv(gl.getUniformLocation(p, 'm'), false, M); gl.uniform3f(gl.getUniformLocation(p, 'ax'), R[2], R[6], R[10]);
            gl.uniform3f(gl.getUniformLocation(p, 'ctr'), ctr[0], ctr[1], ctr[2]); gl.uniform1f(gl.getUniformLocation(p, 'slab'), slab);
          }
          function scaleBar() {
            var g = ov.getContext('2d'); g.clearRect(0, 0, ov.width, ov.height);
            var ppn = scale() / (cv.width / cv.height) * cv.width / 2, steps = [0.1,0.2,0.5,1,2,5,10,20,50,100,200,500,1000], L = steps[0];
            for (var i = 0; i < steps.length; i++) if (steps[i] * ppn <= 160) L = steps[i];
            var x = 20, y = ov.height - 20, len = L * ppn;
            g.fillStyle = '#222'; g.fillRect(x, y - 3, len, 4); g.font = '13px sans-serif'; g.fillText(L + ' nm', x, y - 8);
          }
          var drawn = false;
          function draw() {
            gl.viewport(0, 0, cv.width, cv.height); gl.clearColor(1, 1, 1, 1); gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
            gl.enable(gl.DEPTH_TEST); gl.disable(gl.BLEND); var M = matrix();
            gl.useProgram(pts); attr(pts, 'p', bP, 3); attr(pts, 'c', bC, 3); attr(pts, 'e', bE, 1); attr(pts, 'r', bR, 1); common(pts, M);
            gl.uniform1fv(gl.getUniformLocation(pts, 'hide'), hidden); gl.uniform1f(gl.getUniformLocation(pts, 'keep'), keep);
            gl.uniform1f(gl.getUniformLocation(pts, 'ps'), Math.max(1, Math.min(4, 0.9 * Math.sqrt(cv.width * cv.height / Math.max(1, visible * keep)))));
            gl.drawArrays(gl.POINTS, 0, n); off(pts, ['p', 'c', 'e', 'r']);
            gl.clear(gl.DEPTH_BUFFER_BIT);
            if (showSurface && nt) {
              gl.useProgram(srf); attr(srf, 'p', bT, 3); attr(srf, 'q', bN, 3); attr(srf, 'c', bS, 3); common(srf, M);
              gl.uniform1f(gl.getUniformLocation(srf, 'alpha'), alpha);
              if (alpha < 0.999) { gl.enable(gl.BLEND); gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA); gl.depthMask(false); }
              gl.drawArrays(gl.TRIANGLES, 0, 3 * nt); gl.depthMask(true); off(srf, ['p', 'q', 'c']);
            }
            scaleBar();
            if (!drawn) {
              drawn = true; cv.setAttribute('data-points', String(Math.round(visible * keep)));
              // Each object's projected bounding box in canvas pixels (x0,y0,x1,y1), for checks.
              var boxes = {};
              for (var t = 0; t < nt; t++) {
                var id = TO[t]; if (id <= 0) continue; var b = boxes[id] || (boxes[id] = [1e9, 1e9, -1e9, -1e9]);
                for (var v = 0; v < 3; v++) {
                  var o = 9*t + 3*v, X = M[0]*T[o]+M[4]*T[o+1]+M[8]*T[o+2]+M[12], Y = M[1]*T[o]+M[5]*T[o+1]+M[9]*T[o+2]+M[13];
                  var px = (X + 1) / 2 * cv.width, py = (1 - Y) / 2 * cv.height;
                  b[0] = Math.min(b[0], px); b[1] = Math.min(b[1], py); b[2] = Math.max(b[2], px); b[3] = Math.max(b[3], py);
                }
              }
              var r = cv.getBoundingClientRect();
              cv.setAttribute('data-page-rect', [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height].map(Math.round).join(','));
              cv.setAttribute('data-object-boxes', Object.keys(boxes).map(function (k) { return k + ':' + boxes[k].map(Math.round).join(','); }).join(';'));
            }
          }
          var drag = null;
          cv.addEventListener('mousedown', function (ev) { drag = [ev.clientX, ev.clientY, ev.shiftKey]; });
          window.addEventListener('mouseup', function () { drag = null; });
          window.addEventListener('mousemove', function (ev) {
            if (!drag) return; var dx = ev.clientX - drag[0], dy = ev.clientY - drag[1]; drag[0] = ev.clientX; drag[1] = ev.clientY;
            if (drag[2]) { pan[0] += 2 * dx / cv.width; pan[1] -= 2 * dy / cv.height; } else { rz += dx * 0.01; rx += dy * 0.01; }
            requestAnimationFrame(draw);
          });
          cv.addEventListener('wheel', function (ev) { ev.preventDefault(); zoom *= Math.exp(-ev.deltaY * 0.001); requestAnimationFrame(draw); }, {passive: false});
          document.querySelectorAll('.atom-map input[data-element]').forEach(function (b) {
            b.addEventListener('change', function () { hidden[+b.getAttribute('data-element')] = b.checked ? 0 : 1; visible = shown(); requestAnimationFrame(draw); });
          });
          function control(sel, f) { var el = document.querySelector('.atom-map input[' + sel + ']'); if (el) el.addEventListener('input', function () { f(el); requestAnimationFrame(draw); }); }
          control('data-surface', function (el) { showSurface = el.checked; });
          control('data-opacity', function (el) { alpha = +el.value; });
          control('data-density', function (el) { keep = +el.value; });
          control('data-slab', function (el) { slab = +el.value; var l = document.querySelector('.atom-map [data-slab-label]'); if (l) l.textContent = slab > 0 ? slab + ' nm' : 'off'; });
          draw();
        })();
        """
    }
}
