import Foundation
import AtomProbe
import KitFoundation

/// An interactive 3D atom map for HTML reports (issue 13): ranged ions as points coloured by
/// element (a molecular ion by its first element), every k-th ion up to `maxPoints`, with element
/// toggles, the iso-surfaces overlaid half transparent, and rotate (drag), zoom (wheel) and pan
/// (shift-drag). WebGL with the script and the data inline (no network). The canvas has
/// `id="atom-map"` and sets `data-points` to the points it drew after its first frame.
public struct AtomMap: Sendable {
    public static let defaultMaxPoints = 500_000

    public let elements: [String]
    public let colors: [String]
    /// Interleaved x, y, z (nm) and the element index of every point.
    let positions: [Float]
    let element: [UInt8]
    let triangles: [Float]
    public var points: Int { element.count }

    /// Samples every k-th ranged ion of `source` (one pass).
    public init(source: some IonSource, table: RangeTable, mesh: TriangleMesh? = nil, maxPoints: Int = AtomMap.defaultMaxPoints) throws {
        let symbols = table.symbols
        elements = symbols
        colors = symbols.enumerated().map { ElementColors.color($0.element, index: $0.offset) }
        let firstElement = table.ions.map { ion in ion.atoms.first.flatMap { a in symbols.firstIndex(of: a.symbol) } }
        let lookup = RangeLookup(table)
        let ionOfRange = table.ranges.map(\.ionIndex)
        let step = max(1, (source.count + max(1, maxPoints) - 1) / max(1, maxPoints))
        let parts = try source.reduceChunks(.positionsAndMass, initial: { [(Int, [Float], [UInt8])]() }, { acc, c in
            var p: [Float] = [], e: [UInt8] = []
            var i = (step - c.first % step) % step
            while i < c.count {
                if let r = lookup.rangeIndex(of: Double(c.mass[i])), let el = firstElement[ionOfRange[r]],
                   c.x[i].isFinite, c.y[i].isFinite, c.z[i].isFinite {
                    p += [c.x[i], c.y[i], c.z[i]]; e.append(UInt8(min(el, 255)))
                }
                i += step
            }
            acc.append((c.first, p, e))
        }, combine: { $0 += $1 })
        let sorted = parts.sorted { $0.0 < $1.0 }
        positions = sorted.flatMap(\.1)
        element = sorted.flatMap(\.2)
        var tri: [Float] = []
        if let mesh {
            for t in mesh.triangles.indices {
                let (a, b, c) = mesh.corners(t)
                for v in [a, b, c] { tri += [Float(v.x), Float(v.y), Float(v.z)] }
            }
        }
        triangles = tri
    }

    static func base64<T>(_ values: [T]) -> String {
        values.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The section: toggles, the canvas and its script.
    public func html(title: String = "3D atom map") -> String {
        let toggles = elements.enumerated().map { k, el in
            "<label style=\"color:\(colors[k])\"><input type=\"checkbox\" checked data-element=\"\(k)\"> \(el)</label>"
        }.joined(separator: " ")
        let colorList = colors.map { "'\($0)'" }.joined(separator: ",")
        return """
        <div class="atom-map"><p><b>\(title)</b>: \(points) ions (every k-th ranged ion), the iso-surface half transparent. Drag to rotate, wheel to zoom, shift-drag to pan. \(toggles) <label><input type="checkbox" checked data-surface="1"> surface</label></p>
        <canvas id="atom-map" width="900" height="600" style="border:1px solid #ccc; background:#fff"></canvas></div>
        <script>
        (function () {
          var cv = document.getElementById('atom-map');
          var gl = cv.getContext('webgl', {antialias: true});
          if (!gl) { cv.setAttribute('data-points', '0'); cv.setAttribute('data-error', 'no WebGL'); return; }
          function dec(s, T) { var b = atob(s), u = new Uint8Array(b.length); for (var i = 0; i < b.length; i++) u[i] = b.charCodeAt(i); return new T(u.buffer); }
          var P = dec('\(Self.base64(positions))', Float32Array), E = dec('\(Self.base64(element))', Uint8Array);
          var T = dec('\(Self.base64(triangles))', Float32Array);
          var colors = [\(colorList)].map(function (c) { return [parseInt(c.substr(1,2),16)/255, parseInt(c.substr(3,2),16)/255, parseInt(c.substr(5,2),16)/255]; });
          var n = E.length, lo = [1e9,1e9,1e9], hi = [-1e9,-1e9,-1e9];
          for (var i = 0; i < n; i++) for (var a = 0; a < 3; a++) { lo[a] = Math.min(lo[a], P[3*i+a]); hi[a] = Math.max(hi[a], P[3*i+a]); }
          var ctr = [0,1,2].map(function (a) { return n ? (lo[a]+hi[a])/2 : 0; }), ext = n ? Math.max(hi[0]-lo[0], hi[1]-lo[1], hi[2]-lo[2]) : 1;
          var C = new Float32Array(3*n); for (var i = 0; i < n; i++) { var c = colors[E[i]] || [0.5,0.5,0.5]; C[3*i]=c[0]; C[3*i+1]=c[1]; C[3*i+2]=c[2]; }
          var EF = new Float32Array(n); for (var i = 0; i < n; i++) EF[i] = E[i];
          function sh(t, s) { var o = gl.createShader(t); gl.shaderSource(o, s); gl.compileShader(o); return o; }
          function prog(vs, fs) { var p = gl.createProgram(); gl.attachShader(p, sh(gl.VERTEX_SHADER, vs)); gl.attachShader(p, sh(gl.FRAGMENT_SHADER, fs)); gl.linkProgram(p); return p; }
          var pts = prog('attribute vec3 p; attribute vec3 c; attribute float e; uniform mat4 m; uniform float hide[32]; varying vec3 vc; varying float vh;' +
                         'void main() { gl_Position = m * vec4(p, 1.0); gl_PointSize = 2.0; vc = c; vh = 0.0; for (int k = 0; k < 32; k++) { if (float(k) == e) vh = hide[k]; } }',
                         'precision mediump float; varying vec3 vc; varying float vh; void main() { if (vh > 0.5) discard; gl_FragColor = vec4(vc, 1.0); }');
          var srf = prog('attribute vec3 p; uniform mat4 m; varying float d; void main() { gl_Position = m * vec4(p, 1.0); d = gl_Position.z; }',
                         'precision mediump float; varying float d; void main() { gl_FragColor = vec4(0.2, 0.45, 0.9, 0.35); }');
          function buf(data) { var b = gl.createBuffer(); gl.bindBuffer(gl.ARRAY_BUFFER, b); gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW); return b; }
          var bP = buf(P), bC = buf(C), bE = buf(EF), bT = buf(T);
          var rx = -1.2, rz = 0.6, zoom = 1, pan = [0, 0], hidden = new Float32Array(32), showSurface = true;
          function matrix() {
            var s = 1.4 * zoom / ext, cx = Math.cos(rx), sx = Math.sin(rx), cz = Math.cos(rz), sz = Math.sin(rz), asp = cv.width / cv.height;
            var R = [cz, sz*cx, sz*sx, 0,  -sz, cz*cx, cz*sx, 0,  0, -sx, cx, 0,  0, 0, 0, 1];
            var M = new Float32Array(16);
            for (var c = 0; c < 3; c++) { M[4*c] = R[4*c]*s/asp; M[4*c+1] = R[4*c+1]*s; M[4*c+2] = -R[4*c+2]*s*0.5; }
            M[12] = -(M[0]*ctr[0]+M[4]*ctr[1]+M[8]*ctr[2]) + pan[0]; M[13] = -(M[1]*ctr[0]+M[5]*ctr[1]+M[9]*ctr[2]) + pan[1];
            M[14] = -(M[2]*ctr[0]+M[6]*ctr[1]+M[10]*ctr[2]); M[15] = 1; return M;
          }
          function attr(p, name, b, size) { var l = gl.getAttribLocation(p, name); if (l < 0) return; gl.bindBuffer(gl.ARRAY_BUFFER, b); gl.enableVertexAttribArray(l); gl.vertexAttribPointer(l, size, gl.FLOAT, false, 0, 0); }
          var drawn = false;
          function draw() {
            gl.viewport(0, 0, cv.width, cv.height); gl.clearColor(1, 1, 1, 1); gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
            gl.enable(gl.DEPTH_TEST); gl.disable(gl.BLEND); var M = matrix();
            gl.useProgram(pts); attr(pts, 'p', bP, 3); attr(pts, 'c', bC, 3); attr(pts, 'e', bE, 1);
            gl.uniformMatrix4fv(gl.getUniformLocation(pts, 'm'), false, M); gl.uniform1fv(gl.getUniformLocation(pts, 'hide'), hidden);
            gl.drawArrays(gl.POINTS, 0, n);
            for (var k = 0; k < 3; k++) { var l = gl.getAttribLocation(pts, ['p','c','e'][k]); if (l >= 0) gl.disableVertexAttribArray(l); }
            if (showSurface && T.length) {
              gl.useProgram(srf); attr(srf, 'p', bT, 3); gl.uniformMatrix4fv(gl.getUniformLocation(srf, 'm'), false, M);
              gl.enable(gl.BLEND); gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA); gl.depthMask(false);
              gl.drawArrays(gl.TRIANGLES, 0, T.length / 3); gl.depthMask(true);
              var l = gl.getAttribLocation(srf, 'p'); if (l >= 0) gl.disableVertexAttribArray(l);
            }
            if (!drawn) { drawn = true; var shown = 0; for (var i = 0; i < n; i++) if (hidden[E[i]] < 0.5) shown++; cv.setAttribute('data-points', String(shown)); }
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
            b.addEventListener('change', function () { hidden[+b.getAttribute('data-element')] = b.checked ? 0 : 1; requestAnimationFrame(draw); });
          });
          var sb = document.querySelector('.atom-map input[data-surface]');
          if (sb) sb.addEventListener('change', function () { showSurface = sb.checked; requestAnimationFrame(draw); });
          draw();
        })();
        </script>
        """
    }
}
