// The data-parallel loops are shared with the FEM module, which does not depend on AtomProbe.
@_exported import ParallelLoops
