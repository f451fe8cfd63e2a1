import Foundation
import AtomProbe
import KitFoundation

/// Renderings of iso-surface results (CONVENTIONS.md names).
extension Reports {
    /// `table.json`: species, threshold, distances and one row per region.
    /// The table in `format`.
    public static func table(_ t: CompositionTable, format: Format) -> String {
        switch format {
        case .json: return tableJSON(t).serialized()
        case .csv: return tableCSV(t)
        case .markdown: return tableText(t, markdown: true)
        case .text: return tableText(t)
        }
    }

    public static func tableJSON(_ t: CompositionTable) -> JSONValue {
        guard case .object(var fields) = tableFields(t) else { return .null }
        if let d = t.rows.first?.composition.details["dead_time_correction"] { fields.insert(("dead_time_correction", d), at: 9) }
        return .object(fields)
    }

    static func tableFields(_ t: CompositionTable) -> JSONValue {
        .object([
            ("species", .string(t.species)),
            ("threshold_at_pct", .number(t.threshold)),
            ("bulk_distance_nm", .number(t.bulkDistance)),
            ("core_distance_nm", .number(t.coreDistance)),
            ("mode", .string("atomic")),
            ("excluded_atoms_in_dropped_objects", .int(t.excludedAtoms)),
            ("errors", .string(t.errors.rawValue)),
            ("excluded_edge_objects", .array(t.excludedEdgeObjects.map { .int(Int($0)) })),
            ("corrections", .array(t.corrections.map { .string($0) })),
            ("rows", .array(t.rows.map { r in
                var f: [(String, JSONValue)] = [("name", .string(r.name))]
                if let id = r.objectID { f.append(("object_id", .int(Int(id)))) }
                f += [("region", .string(r.region.rawValue)), ("atoms", .int(r.composition.total)),
                      ("ions", .int(r.composition.rangedIons)), ("elements", r.composition.entriesJSON)]
                if r.region == .inside, let id = r.objectID {
                    let bias = t.thresholdBias(object: id)
                    if !bias.isEmpty {
                        f.append(("threshold_bias", .object(bias.map { ($0.element, .object([("at_pct", .number($0.atPercent)), ("sigma_at_pct", .number($0.sigmaAtPercent))])) })))
                    }
                }
                if let p = r.plateau {
                    f.append(("core_plateau", .object([
                        ("deeper_core_distance_nm", .number(p.deeperDistance)), ("deeper_core_atoms", .int(p.deeperAtoms)),
                        ("reached", p.reached.map { .bool($0) } ?? .null), ("element", p.element.map { .string($0) } ?? .null),
                        ("change_at_pct", .number(p.change)), ("change_sigmas", .number(p.changeSigmas))])))
                }
                return .object(f)
            })),
        ])
    }

    /// The composition table as text (`markdown: false`) or a Markdown table; "value ± sigma" at.%.
    public static func tableText(_ t: CompositionTable, markdown: Bool = false) -> String {
        let els = t.elements
        let header = ["region"] + els.map { "\($0) (at.%)" } + ["atoms"]
        let body = t.rows.map { r in
            // An empty region (e.g. an object thinner than twice the core distance) has no composition.
            [r.name] + els.map { el in
                guard r.composition.total > 0, let e = r.composition[el] else { return "-" }
                // Small counts also get their 68 % interval: "0.00 ± 0.00" alone says nothing.
                return plusMinus(e.atPercent, e.sigmaAtPercent)
                    + (e.count < smallCount ? String(format: " [%.2f-%.2f]", 100 * e.interval.lowerBound, 100 * e.interval.upperBound) : "")
            }
                + [String(r.composition.total)]
        }
        let caption = String(format: "Compositions (atomic, decomposed) around the %@ %.4g at.%% iso-surface; bulk: > %.4g nm outside every surface; core: > %.4g nm inside. Errors: one sigma, %@.",
                             t.species, t.threshold, t.bulkDistance, t.coreDistance,
                             t.errors == .binomial ? "sqrt(c(1-c)/N)" : "multinomial over the ions counted (docs/quantification.md)")
            + " An object's row is everything inside its iso-surface, matrix taken in by the threshold included (biased toward the matrix); its core row estimates the object's own composition."
            + t.corrections.map { " Correction: \($0)." }.joined()
            + (t.excludedEdgeObjects.isEmpty ? "" : " Left out (reaching the data edge): object(s) \(t.excludedEdgeObjects.map(String.init).joined(separator: ", ")).")
            + (t.excludedAtoms > 0 ? " \(t.excludedAtoms) atoms in or near objects below the size filters are in no row." : "")
        let biases = t.rows.filter { $0.region == .inside }.compactMap { r -> String? in
            guard let id = r.objectID, let b = t.thresholdBias(object: id).first(where: { $0.element == t.species }) else { return nil }
            return String(format: "object %d: its row reads %@ %.2f ± %.2f at.%% from its core (the threshold's bias)", Int(id), t.species, b.atPercent, b.sigmaAtPercent)
        }
        let warnings = t.rows.compactMap { r in r.objectID.flatMap { r.plateau?.warning(object: $0) } }
        if markdown {
            var out = caption + "\n\n| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
            for r in body { out += "| " + r.joined(separator: " | ") + " |\n" }
            for b in biases { out += "\nNote: \(b)\n" }
            for w in warnings { out += "\nWarning: \(w)\n" }
            return out
        }
        return caption + "\n" + alignedTable(header, body) + biases.map { "note: \($0)\n" }.joined() + warnings.map { "warning: \($0)\n" }.joined()
    }

    public static func tableCSV(_ t: CompositionTable) -> String {
        var lines = ["name,region,object_id,atoms," + t.elements.flatMap { ["\($0)_count", "\($0)_at_pct", "\($0)_sigma_at_pct"] }.joined(separator: ",")]
        for r in t.rows {
            var f = [r.name, r.region.rawValue, r.objectID.map { String($0) } ?? "", String(r.composition.total)]
            for el in t.elements {
                let e = r.composition[el]
                f += [String(e?.count ?? 0), e.map { "\($0.atPercent)" } ?? "", e.map { "\($0.sigmaAtPercent)" } ?? ""]
            }
            lines.append(f.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `objects.json`: one entry per object.
    public static func objectsJSON(_ objects: [SurfaceObjects.Object]) -> JSONValue {
        func v(_ p: SIMD3<Double>) -> JSONValue { .numbers([p.x, p.y, p.z]) }
        return .array(objects.map { o in
            .object([("object_id", .int(Int(o.id))), ("ions", .int(o.ions)), ("atoms", .int(o.atoms)),
                     ("volume_nm3", .number(o.volume)), ("area_nm2", .number(o.area)), ("cap_area_nm2", .number(o.capArea)),
                     ("centroid_nm", v(o.centroid)),
                     ("bounds_nm", .object([("min", v(o.boundsMin)), ("max", v(o.boundsMax))])),
                     ("touches_edge", .bool(o.touchesEdge))])
        })
    }

    public static func objectsText(_ objects: [SurfaceObjects.Object]) -> String {
        alignedTable(["object", "ions", "atoms", "volume (nm^3)", "area (nm^2)", "centroid (nm)", "touches edge"], objects.map { o in
            [String(o.id), String(o.ions), String(o.atoms), o.volume.isFinite ? String(format: "%.1f", o.volume) : "open", String(format: "%.1f", o.area),
             String(format: "(%.1f, %.1f, %.1f)", o.centroid.x, o.centroid.y, o.centroid.z), o.touchesEdge ? "yes" : "no"]
        })
    }

    /// Proxigram CSV: distance_nm, atoms, then per element count, at.% and sigma.
    public static func proxigramCSV(_ p: Proxigram) -> String {
        var lines = ["distance_nm,atoms,unranged_ions," + p.elements.flatMap { ["\($0)_count", "\($0)_at_pct", "\($0)_sigma_at_pct"] }.joined(separator: ",")]
        for (b, d) in p.binCenters.enumerated() {
            var f = [String(format: "%.6g", d), String(p.total(b)), String(p.unranged[b])]
            for e in p.elements.indices {
                let (c, s) = p.atPercent(e, bin: b)
                f += [String(p.counts[b][e]), c.isNaN ? "" : "\(c)", s.isNaN ? "" : "\(s)"]
            }
            lines.append(f.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func proxigramJSON(_ p: Proxigram, species: String, threshold: Double) -> JSONValue {
        var f: [(String, JSONValue)] = [("species", .string(species)), ("threshold_at_pct", .number(threshold))]
        if let id = p.objectID { f.append(("object_id", .int(Int(id)))) }
        f += [("bin_width_nm", .number(p.binWidth)), ("sign", .string("negative outside (bulk), positive inside (object)")),
              ("errors", .string(p.corrections.isEmpty ? p.errors.rawValue : "multinomial")),
              ("corrections", .array(p.corrections.descriptions.map { .string($0) })),
              ("bins", .array(p.binCenters.indices.map { b in
                  .object([("distance_nm", .number(p.binCenters[b])), ("atoms", .int(p.total(b))),
                           ("elements", .object(p.elements.indices.map { e in
                               let (c, s) = p.atPercent(e, bin: b)
                               return (p.elements[e], .object([("count", .int(p.counts[b][e])), ("at_pct", c.isNaN ? .null : .number(c)),
                                                               ("sigma_at_pct", s.isNaN ? .null : .number(s))]))
                           }))])
              }))]
        return .object(f)
    }
}
