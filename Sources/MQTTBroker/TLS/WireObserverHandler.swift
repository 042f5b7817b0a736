import MQTTBrokerCore
import NIOCore

/// What the bytes in front of the TLS handler said, shared with `TLSHandshakeHandler` behind it. Lives on
/// the connection's (the broker's) event loop only.
final class TLSConnectionFacts {
    var firstByte: UInt8?
    var clientHello: TLSClientHello?
    var serverHello: TLSServerHello?
}

/// Sits where a network observer sits: after the socket (and the pcap recorder), before the TLS handler.
/// It sees every byte exactly as it crosses the wire, and
///
/// - on a TLS listener, reads the ClientHello and ServerHello out of the clear-text handshake records
///   (bounded by `TLSHelloReader.limit`, then it stops looking);
/// - with `--sniff`, hands a copy of every read and write to the trace sink (`trace(wire:)`).
///
/// It never holds bytes back: each read and write is passed on at once, unchanged.
final class WireObserverHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let id: ConnectionID
    let core: BrokerCore
    let facts: TLSConnectionFacts?
    let sniff: Bool
    private var clientReader = TLSHelloReader()
    private var serverReader = TLSHelloReader()
    private var remote = "?"
    private var localPort = 0

    init(id: ConnectionID, core: BrokerCore, facts: TLSConnectionFacts?, sniff: Bool) {
        self.id = id
        self.core = core
        self.facts = facts
        self.sniff = sniff
    }

    func handlerAdded(context: ChannelHandlerContext) {
        remote = ConnectionHandler.text(of: context.channel.remoteAddress)
        localPort = context.channel.localAddress?.port ?? 0
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let view = buffer.readableBytesView
        if let facts {
            if facts.firstByte == nil { facts.firstByte = view.first }
            if !clientReader.done, case .clientHello(let hello) = clientReader.append(view) {
                facts.clientHello = hello
                core.tlsClientHello(hello, on: id)
            }
        }
        if sniff { core.wire(Array(view), direction: .incoming, on: id, isTLS: facts != nil, remote: remote, localPort: localPort) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        let view = buffer.readableBytesView
        if let facts, !serverReader.done, case .serverHello(let hello) = serverReader.append(view) {
            facts.serverHello = hello
        }
        if sniff { core.wire(Array(view), direction: .outgoing, on: id, isTLS: facts != nil, remote: remote, localPort: localPort) }
        context.write(data, promise: promise)
    }
}
