import NIOCore
import NIOExtras

/// `--pcap FILE`: the broker's traffic recorded as a pcap file that Wireshark and tshark open and decode
/// (`tshark -r FILE -d tcp.port==1883,mqtt`). Each accepted connection gets a swift-nio-extras
/// `NIOWritePCAPHandler` in `.server` mode, first in its pipeline, which turns what crosses the socket
/// into synthetic TCP/IP frames (handshake, data, FIN); all of them write into one shared
/// `NIOWritePCAPHandler.SynchronizedFileSink`, which does the file I/O on its own dispatch queue, never
/// on the event loop.
///
/// Open it before the server starts, put it in `BrokerServerConfiguration.pcap`, and close it once after
/// `shutdown()`.
public final class BrokerPacketCapture: Sendable {
    let sink: NIOWritePCAPHandler.SynchronizedFileSink
    public let path: String

    /// Creates (or truncates) `path` and writes the pcap file header. `onError` is called at most once,
    /// off the event loop, if a later write fails (then nothing more is recorded; the broker goes on).
    public init(path: String, onError: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.path = path
        do {
            sink = try NIOWritePCAPHandler.SynchronizedFileSink.fileSinkWritingToFile(path: path) { error in
                onError("\(error)")
            }
        } catch let error as NIOWritePCAPHandler.SynchronizedFileSink.Error {
            throw BrokerPacketCaptureError(path: path, errorCode: error.errorCode)
        }
    }

    /// A new handler for one connection's pipeline.
    func makeHandler() -> NIOWritePCAPHandler {
        let sink = self.sink
        return NIOWritePCAPHandler(mode: .server, fileSink: { sink.write(buffer: $0) })
    }

    /// Waits for the queued writes and closes the file. Call once, after the server's shutdown.
    public func close() async throws {
        try await sink.close()
    }

    /// `close()` for synchronous callers; blocks until the writes are done, so never on an event loop.
    @available(*, noasync, message: "use close() from async code")
    public func closeBlocking() throws {
        try sink.syncClose()
    }
}

/// The pcap file could not be created (a missing folder, no permission).
public struct BrokerPacketCaptureError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var errorCode: Int
    public var description: String { "cannot create the --pcap file \(path) (swift-nio-extras error \(errorCode))" }
}
