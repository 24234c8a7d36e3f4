import NIOCore
@testable import StorageEtcd
import Testing

/// The PING filter in front of the HTTP/2 handler, on frames split at every possible byte.
@Suite struct HTTP2PingFilterTests {
    private func frame(type: UInt8, flags: UInt8 = 0, stream: UInt8 = 0, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type, flags,
                0, 0, 0, stream] + payload
    }

    @Test func pingsAreTakenOutAndEverythingElsePassesUnchanged() {
        let settings = frame(type: 4, payload: [0, 3, 0, 0, 0, 100])
        let ping = frame(type: 6, payload: [1, 2, 3, 4, 5, 6, 7, 8])
        let pingAck = frame(type: 6, flags: 1, payload: [8, 7, 6, 5, 4, 3, 2, 1])
        let data = frame(type: 0, flags: 1, stream: 1, payload: Array(repeating: 0xab, count: 300))
        let empty = frame(type: 4, flags: 1, payload: [])
        let secondPing = frame(type: 6, payload: [9, 9, 9, 9, 9, 9, 9, 9])
        let stream = settings + ping + data + pingAck + empty + secondPing + data
        let expected = settings + data + pingAck + empty + data

        for chunkSize in [1, 2, 5, 8, 9, 10, 17, 64, stream.count] {
            var filter = HTTP2PingFilter()
            var passed: [UInt8] = []
            var pings: [[UInt8]] = []
            var offset = 0
            while offset < stream.count {
                let end = min(offset + chunkSize, stream.count)
                var input = ByteBuffer(bytes: stream[offset..<end])
                let (forward, answered) = filter.filter(&input)
                for var piece in forward { passed += piece.readBytes(length: piece.readableBytes)! }
                pings += answered
                offset = end
            }
            #expect(passed == expected, "chunks of \(chunkSize)")
            #expect(pings == [[1, 2, 3, 4, 5, 6, 7, 8], [9, 9, 9, 9, 9, 9, 9, 9]], "chunks of \(chunkSize)")
        }
    }

    @Test func aReadWithoutPingsPassesAsItCame() {
        var filter = HTTP2PingFilter()
        let data = frame(type: 0, stream: 1, payload: [1, 2, 3])
        var input = ByteBuffer(bytes: data + data)
        let (forward, pings) = filter.filter(&input)
        #expect(forward == [ByteBuffer(bytes: data + data)])
        #expect(pings.isEmpty)
    }
}
