import APIClient
import APIModel
import Foundation
import Logging

/// Records core/v1 Events about objects for a component (`default-scheduler`, `node-controller`…), as
/// client-go's event broadcaster does: `record` returns at once; `run()` correlates the events
/// (`EventCorrelator`: spam filter, aggregation, deduplication) and writes them through the API, creating new
/// events and bumping the count of repeated ones. Events that cannot be written are logged and dropped.
public final class EventRecorder: Sendable {
    public enum EventType: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    private let client: KubernetesClient
    private let component: String
    private let host: String?
    private let logger: Logger
    private let queue: AsyncStream<Event>.Continuation
    private let events: AsyncStream<Event>

    public init(client: KubernetesClient, component: String, host: String? = nil,
                logger: Logger = Logger(label: "skiff.events")) {
        self.client = client
        self.component = component
        self.host = host
        self.logger = logger
        (events, queue) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Records an event about `object` (its kind, apiVersion, name, namespace, uid and resourceVersion are
    /// referenced).
    public func record<T: KubernetesObject>(_ object: T, type: EventType, reason: String, message: String) {
        record(Self.reference(object), type: type, reason: reason, message: message)
    }

    /// Records an event about the referenced object.
    public func record(_ reference: ObjectReference, type: EventType, reason: String, message: String) {
        let now = Time.now()
        let namespace = (reference.namespace?.isEmpty ?? true) ? "default" : reference.namespace!
        let name = "\(reference.name ?? "unknown").\(String(UInt64(Date().timeIntervalSince1970 * 1e9), radix: 16))"
        let event = Event(metadata: ObjectMeta(name: name, namespace: namespace), count: 1, firstTimestamp: now,
                          involvedObject: reference, lastTimestamp: now, message: message, reason: reason,
                          reportingComponent: component, reportingInstance: host ?? "",
                          source: EventSource(component: component, host: host), type: type.rawValue)
        queue.yield(event)
    }

    /// The reference Kubernetes puts in `involvedObject`.
    public static func reference<T: KubernetesObject>(_ object: T) -> ObjectReference {
        ObjectReference(kind: T.groupVersionKind.kind, apiVersion: T.groupVersionKind.apiVersion,
                        name: object.metadata?.name, namespace: object.metadata?.namespace,
                        resourceVersion: object.metadata?.resourceVersion, uid: object.metadata?.uid)
    }

    /// Writes recorded events until cancelled.
    public func run() async {
        var correlator = EventCorrelator()
        for await event in events {
            switch correlator.observe(event, now: Date()) {
            case .drop:
                continue
            case .create(let event):
                await create(event, correlator: &correlator)
            case .bump(let namespace, let name, let count, let lastTimestamp, let message):
                let patch: JSONValue = .object(["count": .int(Int64(count)), "lastTimestamp": .string(lastTimestamp.description),
                                                "message": .string(message)])
                do {
                    _ = try await client.patch(Event.self, name: name, namespace: namespace, resource: Event.resourcePath,
                                               mergePatch: patch)
                } catch let error as KubernetesClientError where error.isNotFound {
                    // Expired meanwhile: start a new one.
                    correlator.forget(namespace: namespace, name: name)
                    var fresh = event
                    fresh.message = message
                    await create(fresh, correlator: &correlator)
                } catch {
                    logger.debug("event \(namespace)/\(name) not updated: \(error)")
                }
            }
        }
    }

    private func create(_ event: Event, correlator: inout EventCorrelator) async {
        do {
            let stored = try await client.create(event)
            correlator.created(stored)
        } catch {
            logger.debug("event \(event.reason ?? "") about \(event.involvedObject?.name ?? "") not written: \(error)")
        }
    }
}
