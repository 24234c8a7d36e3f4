import APIModel
import Foundation

/// A DaemonSet's template history as ControllerRevisions (Kubernetes' `constructHistory`, `snapshot`, `Match`,
/// `cleanupHistory`), decided without I/O. The generic forms (`make(owner:…)`, `data(of: template)`,
/// `History(data:revisions:)`, `template(of:)`) serve StatefulSets too, whose revisions have the same shape.
///
/// A revision is named `<daemonset>-<hash>`, labelled with the template's labels and `controller-revision-hash`, and
/// stores `{"spec":{"template":{…,"$patch":"replace"}}}` — the patch that restores the template, which is what
/// `kubectl rollout history/undo` read. The current revision is the one whose data is the current template's; the
/// others are old. The current one always has the highest revision number.
public enum DaemonRevision {
    /// The template's hash (Kubernetes' `ComputeHash`): FNV-32a of the template (here its JSON with sorted keys) and
    /// the collision count, as a decimal string in Kubernetes' safe alphabet.
    public static func hash(of template: PodTemplateSpec?, collisionCount: Int32?) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes = Array((try? encoder.encode(template ?? PodTemplateSpec())) ?? Data())
        if let collisionCount {
            let count = UInt32(bitPattern: collisionCount)
            bytes += [UInt8(count & 0xff), UInt8(count >> 8 & 0xff), UInt8(count >> 16 & 0xff), UInt8(count >> 24)]
        }
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return safeEncode(String(hash))
    }

    /// Kubernetes' `rand.SafeEncodeString`: each character mapped into an alphabet without vowels or look-alikes.
    static func safeEncode(_ text: String) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(text.utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// The data a revision of the DaemonSet's current template stores (`getPatch`).
    public static func data(of daemonSet: DaemonSet) -> JSONValue {
        data(of: daemonSet.spec?.template)
    }

    /// The data a revision of `template` stores: `{"spec":{"template":{…,"$patch":"replace"}}}` (`getPatch`; the same
    /// shape for DaemonSets and StatefulSets).
    public static func data(of template: PodTemplateSpec?) -> JSONValue {
        let encoded = (try? JSONEncoder().encode(template ?? PodTemplateSpec())) ?? Data("{}".utf8)
        var template = (try? JSONValue(parsing: encoded)).flatMap { value -> [String: JSONValue]? in
            if case .object(let fields) = value { return fields }
            return nil
        } ?? [:]
        template["$patch"] = .string("replace")
        return .object(["spec": .object(["template": .object(template)])])
    }

    /// A new revision of the DaemonSet's current template, numbered `revision` (`snapshot`).
    public static func make(for daemonSet: DaemonSet, revision: Int64) -> ControllerRevision {
        make(owner: daemonSet, template: daemonSet.spec?.template, collisionCount: daemonSet.status?.collisionCount,
             revision: revision)
    }

    /// A new revision of `owner`'s `template`, numbered `revision`: named `<owner>-<hash>`, labelled with the
    /// template's labels and `controller-revision-hash`, annotated as the owner, controlled by it.
    public static func make<Owner: KubernetesObject>(owner: Owner, template: PodTemplateSpec?, collisionCount: Int32?,
                                                     revision: Int64) -> ControllerRevision {
        let hash = hash(of: template, collisionCount: collisionCount)
        var labels = template?.metadata?.labels ?? [:]
        labels[DaemonPodTemplate.revisionHashLabel] = hash
        let meta = ObjectMeta(annotations: owner.metadata?.annotations, labels: labels,
                              name: "\(owner.metadata?.name ?? "")-\(hash)", namespace: owner.metadata?.namespace,
                              ownerReferences: [owner.newControllerReference])
        return ControllerRevision(metadata: meta, data: data(of: template), revision: revision)
    }

    /// The template a revision stores (the inverse of `data(of:)`), nil if its data is not such a patch.
    public static func template(of revision: ControllerRevision) -> PodTemplateSpec? {
        guard case .object(let root)? = revision.data, case .object(let spec)? = root["spec"],
              case .object(var template)? = spec["template"] else { return nil }
        template["$patch"] = nil
        return try? ModelJSON.decode(PodTemplateSpec.self, from: JSONValue.object(template).serialized())
    }

    /// The DaemonSet's revisions split into the current one(s) and the old ones.
    public struct History: Sendable {
        /// The revision of the current template to keep (the highest numbered match), if one exists.
        public var current: ControllerRevision?
        /// Other revisions of the current template (duplicates), to delete.
        public var duplicates: [ControllerRevision]
        /// Revisions of earlier templates, lowest revision first.
        public var old: [ControllerRevision]
        /// The number the current revision must have: one more than the highest old one.
        public var nextRevision: Int64

        /// - Parameter revisions: the revisions the DaemonSet controls.
        public init(daemonSet: DaemonSet, revisions: [ControllerRevision]) {
            self.init(data: DaemonRevision.data(of: daemonSet), revisions: revisions)
        }

        /// - Parameter data: what the current template's revision stores (`data(of:)`).
        public init(data: JSONValue, revisions: [ControllerRevision]) {
            var matching: [ControllerRevision] = [], old: [ControllerRevision] = []
            for revision in revisions {
                if revision.data == data { matching.append(revision) } else { old.append(revision) }
            }
            matching.sort { ($0.revision ?? 0) < ($1.revision ?? 0) }
            current = matching.last
            duplicates = Array(matching.dropLast())
            self.old = old.sorted { ($0.revision ?? 0) < ($1.revision ?? 0) }
            nextRevision = (old.compactMap(\.revision).max() ?? 0) + 1
        }

        /// The old revisions to delete to keep `limit` (`cleanupHistory`): lowest revisions first, never one whose hash
        /// a live pod still carries.
        public func expired(limit: Int, liveHashes: Set<String>) -> [ControllerRevision] {
            var toKill = old.count - limit
            var expired: [ControllerRevision] = []
            for revision in old where toKill > 0 {
                if let hash = revision.metadata?.labels?[DaemonPodTemplate.revisionHashLabel], liveHashes.contains(hash) {
                    continue
                }
                expired.append(revision)
                toKill -= 1
            }
            return expired
        }
    }
}
