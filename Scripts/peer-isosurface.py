#!/usr/bin/env python3
"""Peer check of the iso-surface: runs scikit-image's marching cubes (Lewiner) on the
concentration field that `atomprobe analyze` wrote (concentration_<species>.f32 + field.json) and
compares the surface area and enclosed volume with AtomProbeKit's (before object filtering).
Masked voxels (NaN, outside the specimen) count as far below the threshold, as in AtomProbeKit.

    pip install scikit-image && python3 Scripts/peer-isosurface.py OUT_DIR THRESHOLD
"""
import json
import sys

import numpy as np
from skimage import __version__ as skv
from skimage.measure import marching_cubes, mesh_surface_area

out, threshold = sys.argv[1], float(sys.argv[2])
info = json.load(open(f"{out}/field.json"))
nx, ny, nz = info["grid_size"]
field = np.fromfile(f"{out}/{info['concentration_file']}", dtype="<f4").reshape(nz, ny, nx)
field = np.where(np.isnan(field), threshold - 1000.0, field).transpose(2, 1, 0)  # to (x, y, z)
h = info["voxel_nm"]
verts, faces, _, _ = marching_cubes(field, level=threshold, spacing=(h, h, h))
area = mesh_surface_area(verts, faces)
a, b, c = verts[faces[:, 0]], verts[faces[:, 1]], verts[faces[:, 2]]
volume = abs(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6)
ours_area = info["area_before_object_filter_nm2"]
objects = json.load(open(f"{out}/objects.json"))
ours_volume = sum(o["volume_nm3"] for o in objects)
print(f"scikit-image {skv} marching cubes: {len(faces)} triangles, area {area:.1f} nm^2, volume {volume:.1f} nm^3")
print(f"AtomProbeKit: {info['triangles_before_object_filter']} triangles, area {ours_area:.1f} nm^2 "
      f"(before object filtering), volume of the kept objects {ours_volume:.1f} nm^3")
print(f"relative difference: area {100 * (ours_area - area) / area:+.2f} %, volume {100 * (ours_volume - volume) / volume:+.2f} %")
