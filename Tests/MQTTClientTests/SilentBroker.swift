import NIOCore
import NIOPosix

/// A "broker" that accepts CONNECT with a CONNACK (by default the 3.1.1 one; `answer` replaces it, and
/// may carry more bytes after it) and then never answers again: a dead peer whose TCP connection stays
/// open, which only the client's keep alive can detect.
final class SilentBroker {
    private let channel: any Channel
    let port: Int

    init(answer: [UInt8] = [0x20, 0x02, 0x00, 0x00]) throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AnswerOnce(answer: answer))
                }
            }
        channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress?.port ?? 0
    }

    func stop() {
        try? channel.close().wait()
    }

    private final class AnswerOnce: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var answered = false
        let answer: [UInt8]

        init(answer: [UInt8]) {
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            answered = true
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: answer)), promise: nil)
        }
    }
}
