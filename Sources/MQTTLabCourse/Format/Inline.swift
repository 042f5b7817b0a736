/// Text inside a paragraph, list item, table cell or heading.
public indirect enum Inline: Sendable, Equatable {
    case text(String)
    /// A line break in the source: a space when the paragraph is wrapped.
    case softBreak
    case emphasis([Inline])
    case strong([Inline])
    case code(String)
    case link([Inline], LinkTarget)

    /// The text without any markup, as a reader sees it.
    public static func plainText(_ inlines: [Inline]) -> String {
        var result = ""
        for inline in inlines {
            switch inline {
            case .text(let text), .code(let text): result += text
            case .softBreak: result += " "
            case .emphasis(let children), .strong(let children), .link(let children, _): result += plainText(children)
            }
        }
        return result
    }
}

/// Where a link goes.
public enum LinkTarget: Sendable, Equatable {
    /// `lesson:04` or `lesson:04-wildcards`: the text after `lesson:`.
    case lesson(String)
    /// `exercise:ID`.
    case exercise(String)
    /// `https://…`, `http://…` or `mailto:…`.
    case web(String)

    /// The target as written in the lesson.
    public var written: String {
        switch self {
        case .lesson(let reference): "lesson:\(reference)"
        case .exercise(let id): "exercise:\(id)"
        case .web(let url): url
        }
    }
}
