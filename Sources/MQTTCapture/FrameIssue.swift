/// A frame whose headers are damaged or cut short. The frame is skipped and the message becomes
/// a `CaptureWarning`; it is an error type only so the header parsers can use typed throws.
struct FrameIssue: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
