/// The unknowns at every node, in this order. The concentration unknown is stored as its logit
/// w = ln(c / (1 - c)) in the global vector; element-local states and kernels use c itself.
public enum Field: Int, CaseIterable, Sendable {
    case ux = 0, uy, c, mu

    /// Unknowns per node.
    public static let perNode = 4
    /// The displacement components.
    public static let displacement: [Field] = [.ux, .uy]
}

/// Where each (node, field) unknown lives in the global vector and each (local node, field) in an
/// element's vector and matrix. All index arithmetic of the FEM is here.
public struct DofMap: Sendable {
    public let nodeCount: Int
    public init(nodeCount: Int) { self.nodeCount = nodeCount }

    public var count: Int { nodeCount * Field.perNode }

    /// Global index of a node's unknown.
    @inline(__always) public func dof(_ node: Int, _ f: Field) -> Int { node * Field.perNode + f.rawValue }
    /// The node and field of a global index.
    @inline(__always) public func field(of dof: Int) -> (node: Int, field: Field) { (dof / Field.perNode, Field(rawValue: dof % Field.perNode)!) }

    /// Nodes of an element (Q1: four).
    public static let nodesPerElement = 4
    /// Unknowns of an element.
    public static let elementSize = nodesPerElement * Field.perNode
    /// Index in an element's vector of local node I's unknown.
    @inline(__always) public static func local(_ I: Int, _ f: Field) -> Int { I * Field.perNode + f.rawValue }
}

/// An element's residual vector, indexed by local node and field.
struct ElementVector {
    var values = [Double](repeating: 0, count: DofMap.elementSize)
    @inline(__always) subscript(_ I: Int, _ f: Field) -> Double {
        get { values[DofMap.local(I, f)] }
        set { values[DofMap.local(I, f)] = newValue }
    }
    mutating func zero() { for q in values.indices { values[q] = 0 } }
}

/// An element's tangent matrix, row (I, f) and column (J, g).
struct ElementMatrix {
    var values = [Double](repeating: 0, count: DofMap.elementSize * DofMap.elementSize)
    @inline(__always) static func index(_ I: Int, _ f: Field, _ J: Int, _ g: Field) -> Int {
        DofMap.local(I, f) * DofMap.elementSize + DofMap.local(J, g)
    }
    @inline(__always) subscript(_ I: Int, _ f: Field, _ J: Int, _ g: Field) -> Double {
        get { values[Self.index(I, f, J, g)] }
        set { values[Self.index(I, f, J, g)] = newValue }
    }
    mutating func zero() { for q in values.indices { values[q] = 0 } }
    /// Multiplies every entry of column (J, g) by `s` (a chain rule on that unknown).
    mutating func scaleColumn(_ J: Int, _ g: Field, by s: Double) {
        let col = DofMap.local(J, g)
        for row in 0..<DofMap.elementSize { values[row * DofMap.elementSize + col] *= s }
    }
}
