import MQTTBrokerCore
import MQTTCodec
import NIOCore

/// One client connection: cuts its bytes into packets, decodes them with the connection's protocol
/// version, hands them to the broker core, and writes what the engine sends back.
///
/// Framing happens here, with the codec's `PacketFramer`, not in a `ByteToMessageDecoder`: it saves a
/// handler hop per read and a buffer per connection (performance-notes.md §5). The framer refuses a
/// packet over the maximum size as soon as its fixed header is in, so a peer cannot make the broker
/// buffer a huge body.
///
/// Back-pressure: while the socket is not writable (more than the high water mark is waiting), the
/// handler holds back `read()`, so a client that does not read its answers cannot make the broker queue
/// answers without bound; QoS 0 messages for it are dropped by `BrokerCore.send`.
///
/// Lives on the broker's event loop only, like everything it touches.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let id: ConnectionID
    let core: BrokerCore
    /// The channel, kept for its close future (Sendable, thread-safe accessors only).
    let channel: any Channel
    /// Set between `handlerAdded` and `handlerRemoved`.
    private(set) var context: ChannelHandlerContext?
    /// The rules this connection speaks: 3.1.1 until its CONNECT, then the CONNECT's own level.
    private(set) var version: ProtocolVersion = .v3_1_1
    private var sawConnect = false
    private var sawFirstByte = false
    /// The client id, once the engine accepted the CONNECT (kept after the engine forgets the
    /// connection, so the last packets and events of a closing connection still show it).
    var clientID: String?
    /// "ip:port" of the peer.
    private(set) var remote = "?"
    /// On a TLS listener with `use_identity_as_username`: the CONNECT's user name is replaced by
    /// `certificateIdentity` (the client certificate's Common Name) and its password dropped.
    var usesCertificateIdentity = false
    var certificateIdentity: String?
    /// On a TLS listener the engine hears of the connection only once the handshake succeeded
    /// (`tlsReady()`): a failed handshake is a transport event, not a client that came and went.
    var waitsForTLS = false
    /// True once it did: its TCP connection was already announced in the trace.
    private(set) var waitedForTLS = false
    private var framer: PacketFramer
    private(set) var started = false
    /// True once the connection is being closed: no more bytes are read or written.
    private(set) var closing = false
    /// Set while the handler is in the core's list of connections to flush.
    var needsFlush = false
    private var readHeldBack = false
    private var closeTimer: Scheduled<Void>?

    init(id: ConnectionID, core: BrokerCore, channel: any Channel, maximumPacketSize: Int) {
        self.id = id
        self.core = core
        self.channel = channel
        self.framer = PacketFramer(maximumPacketSize: maximumPacketSize)
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { waitsForTLS ? announceTCP(context: context) : start(context: context) }
    }

    /// A TLS listener's connection: the trace says the TCP connection is up before the handshake's lines.
    private func announceTCP(context: ChannelHandlerContext) {
        guard !waitedForTLS else { return }
        waitedForTLS = true
        remote = Self.text(of: context.channel.remoteAddress)
        core.acceptedForTLS(id, remote: remote)
    }

    /// The TLS handshake completed: the connection is now an MQTT connection like any other.
    func tlsReady() {
        guard waitsForTLS, let context, !closing else { return }
        waitsForTLS = false
        start(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        closing = true
        closeTimer?.cancel()
        closeTimer = nil
        // Normally channelInactive already did this; the core ignores a second call.
        if started { core.closed(self) } else { core.forget(self) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if waitsForTLS { announceTCP(context: context) } else { start(context: context) }
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        remote = Self.text(of: context.channel.remoteAddress)
        core.opened(self)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        closeTimer?.cancel()
        closeTimer = nil
        if started { core.closed(self) } else { core.forget(self) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or a failed write: the connection is gone; channelInactive tells the engine.
        closing = true
        context.close(promise: nil)
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let buffer = unwrapInboundIn(data)
        if !sawFirstByte, let first = buffer.readableBytesView.first {
            sawFirstByte = true
            // The first packet must be a CONNECT [MQTT-3.1.0-1]. Anything else (an HTTP request, a
            // stray telnet) is not an MQTT client: close at once, without waiting for a body its
            // "remaining length" may announce and that will never come.
            if first >> 4 != PacketType.connect.rawValue {
                core.notMQTT(self, firstByte: first)
                closeAfterPendingWrites()
                return
            }
        }
        framer.append(buffer.readableBytesView)
        while !closing {
            let bytes: [UInt8]
            do {
                guard let next = try framer.next() else { break }
                bytes = next
            } catch {
                refuseFraming(error)
                return
            }
            decode(bytes)
        }
        // Give the memory back once every byte was used: a past big packet must not stay allocated
        // for the life of an idle connection.
        if framer.bufferedCount == 0 { _ = framer.takeBuffered() }
    }

    private func decode(_ bytes: [UInt8]) {
        let type = bytes[0] >> 4
        let isConnect = type == PacketType.connect.rawValue
        do {
            if type == PacketType.publish.rawValue && sawConnect && !core.isTracing {
                // Most packets: decoded straight into a `Publish`, for the forwarding path.
                core.received(try PacketDecoder.decodePublish(bytes, version: version), bytes: bytes, from: self)
                return
            }
            let packet = try PacketDecoder.decode(bytes, version: version)
            if !sawConnect, case .connect(let connect) = packet {
                sawConnect = true
                version = connect.version
            }
            core.received(packet, bytes: bytes, from: self)
        } catch {
            if isConnect && !sawConnect {
                // Answer a broken CONNECT in the version it announced, as far as it could be read.
                version = error.version
            }
            core.refused(error, bytes: bytes, isComplete: true, from: self)
            closeAfterPendingWrites()
        }
    }

    /// The fixed header breaks the framing rules (too large, remaining length over 4 bytes): the stream
    /// cannot be resynchronised, so the connection ends after the engine's answer.
    private func refuseFraming(_ failure: PacketFramer.Failure) {
        let packetStart = framer.consumed
        let error = MalformedPacket(failure.violation, at: max(0, failure.offset - packetStart), version: version)
        let seen = core.isTracing ? Array(framer.takeBuffered().prefix(5)) : []
        core.refused(error, bytes: seen, isComplete: false, from: self)
        closeAfterPendingWrites()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // The end of a read burst: every channel written to while handling it is flushed once, after the
        // other connections that are ready in this turn of the event loop have been read too.
        core.readBurstEnded()
    }

    // MARK: Back-pressure

    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable || closing {
            context.read()
        } else {
            readHeldBack = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && readHeldBack {
            readHeldBack = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Writing (called by BrokerCore)

    /// Whether the socket takes more: false while more than the high water mark waits to be sent.
    var isWritable: Bool { context?.channel.isWritable ?? false }

    /// An encoded packet, added to the burst's outgoing bytes; `BrokerCore` flushes each touched
    /// connection once per burst.
    func write(_ bytes: [UInt8]) {
        appendOutgoing(capacity: bytes.count) { $0.writeBytes(bytes) }
    }

    /// A forwarded PUBLISH, assembled straight into the burst's outgoing bytes from the received pieces.
    func write(_ forwarded: ForwardedPublish) {
        appendOutgoing(capacity: forwarded.encodedCount) { Self.write(forwarded, into: &$0) }
    }

    static func write(_ forwarded: ForwardedPublish, into buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: forwarded.encodedCount) { forwarded.write(into: $0) }
    }

    /// A buffer other connections share (a big fan-out): the burst so far goes first, then this one.
    func write(shared buffer: ByteBuffer) {
        guard let context else { return }
        handOverOutgoing()
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    /// A PUBACK, PUBREC, PUBREL or PUBCOMP in its four-byte form (`Packet.shortAcknowledgement`).
    func writeShortAcknowledgement(firstByte: UInt8, packetID: UInt16) {
        appendOutgoing(capacity: 4) { buffer in
            buffer.writeInteger(firstByte)
            buffer.writeInteger(UInt8(2))
            buffer.writeInteger(packetID)
        }
    }

    /// Hands the burst's bytes to NIO and sends them.
    func flush() {
        handOverOutgoing()
        context?.flush()
    }

    /// The packets for the peer gathered during a read burst. Every packet is copied in here and the whole
    /// is handed to NIO once, at the flush: one `write` per burst instead of one per packet (NIO's
    /// per-write bookkeeping and a buffer per packet were 10% of the broker's time in the 1→1 profile).
    /// Handed over early at `outgoingChunk` bytes, so the channel's writability — and with it the
    /// slow-consumer rule in `BrokerCore` — still sees a big burst coming, and this buffer stays bounded.
    private var outgoing: ByteBuffer?
    private static let outgoingChunk = 64 * 1024

    private func appendOutgoing(capacity: Int, _ write: (inout ByteBuffer) -> Void) {
        guard let context else { return }
        if outgoing == nil { outgoing = context.channel.allocator.buffer(capacity: max(capacity, 512)) }
        write(&outgoing!)
        if outgoing!.readableBytes >= Self.outgoingChunk { handOverOutgoing() }
    }

    private func handOverOutgoing() {
        guard let buffer = outgoing else { return }
        outgoing = nil
        if let context, buffer.readableBytes > 0 { context.write(wrapOutboundOut(buffer), promise: nil) }
    }

    /// Closes once what was written before has gone out (the engine's `.close` comes after the CONNACK or
    /// DISCONNECT that explains it). A peer that does not take those bytes in `closeTimeout` is cut.
    func closeAfterPendingWrites() {
        guard !closing, let context else { return }
        closing = true
        needsFlush = false
        let outputClosed = context.eventLoop.makePromise(of: Void.self)
        flush()
        // Closing the output waits for pending writes, then sends FIN; the full close follows.
        context.close(mode: .output, promise: outputClosed)
        outputClosed.futureResult.assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: core.configuration.closeTimeout) { [weak self] in
            guard let self, let context = self.context else { return }
            self.core.closeTimedOut(self)
            context.close(promise: nil)
        }
    }

    static func text(of address: SocketAddress?) -> String {
        guard let address else { return "?" }
        guard let ip = address.ipAddress, let port = address.port else { return address.description }
        if case .v6 = address { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
