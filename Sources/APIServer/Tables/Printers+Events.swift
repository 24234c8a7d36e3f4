import APIModel

extension TablePrinter where T == Event {
    /// `LAST SEEN TYPE REASON OBJECT MESSAGE`, and with `-o wide` `SUBOBJECT SOURCE` (before the message) and
    /// `FIRST SEEN COUNT NAME` (after it); see ``EventCells``.
    static var events: TablePrinter<Event> {
        TablePrinter(columns: [
            TableColumn("Last Seen", description: FieldDocs.eventLastTimestamp),
            TableColumn("Type", description: FieldDocs.eventType),
            TableColumn("Reason", description: FieldDocs.eventReason),
            TableColumn("Object", description: FieldDocs.eventInvolvedObject),
            TableColumn("Subobject", description: FieldDocs.objectReferenceFieldPath, priority: 1),
            TableColumn("Source", description: FieldDocs.eventSource, priority: 1),
            TableColumn("Message", description: FieldDocs.eventMessage),
            TableColumn("First Seen", description: FieldDocs.eventFirstTimestamp, priority: 1),
            TableColumn("Count", description: FieldDocs.eventCount, priority: 1),
            TableColumn("Name", format: "name", description: FieldDocs.objectMetaName, priority: 1),
        ]) { event, now in
            [
                .string(EventCells.lastSeen(event, now: now)),
                .string(event.type ?? ""),
                .string(event.reason ?? ""),
                .string(EventCells.object(event)),
                .string(event.involvedObject?.fieldPath ?? ""),
                .string(EventCells.source(event)),
                .string(EventCells.message(event)),
                .string(EventCells.firstSeen(event, now: now)),
                .int(EventCells.count(event)),
                CommonCells.name(event),
            ]
        }
    }
}
