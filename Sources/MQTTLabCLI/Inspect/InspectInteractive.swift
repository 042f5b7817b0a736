/// The interactive inspector: draws the browser on a `TerminalSession`, feeds it keys, redraws on resize,
/// and with `--follow` polls the growing trace between keys.
enum InspectInteractive {
    static let followInterval: Duration = .milliseconds(250)

    static func run(_ browser: InspectBrowser, screen: InspectScreen, follower: TraceFollower?) throws {
        var browser = browser
        var follower = follower
        browser.following = follower != nil
        try TerminalSession.run { session in
            while true {
                session.draw(screen.render(&browser, size: session.size))
                switch session.nextEvent(timeout: follower == nil ? nil : followInterval) {
                case .key(let key):
                    if !browser.handle(key) { return }
                case .resize:
                    continue  // the next draw lays the screen out for the new size
                case .timeout:
                    if var current = follower {
                        let batch = current.poll()
                        follower = current
                        browser.append(batch.packets, notes: batch.problems)
                    }
                case .inputClosed:
                    return
                }
            }
        }
    }
}
