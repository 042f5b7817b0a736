import Foundation

/// The interactive inspector's state and what each key does to it. Pure — no terminal — so every key
/// is tested without one; `InspectInteractive` feeds it keys and draws it with `InspectScreen`.
struct InspectBrowser {
    enum Mode: Equatable {
        case browse
        case help
        /// Typing a filter after `/`; the text so far.
        case filtering(String)
    }

    private(set) var list: PacketList
    private(set) var conversations: ConversationIndex
    private(set) var filterText = ""
    /// Indices into `list.packets` that match the filter, in order.
    private(set) var visible: [Int] = []
    /// Position in `visible` of the selected packet.
    private(set) var selected = 0
    /// Step of the selected packet's walk.
    private(set) var step = 0
    private(set) var mode: Mode = .browse
    /// Whether the input is still growing (`--follow`).
    var following = false
    private var walks: [Int: FieldWalk] = [:]

    init(list: PacketList) {
        self.list = list
        conversations = ConversationIndex(list.packets)
        refilter(keeping: nil)
    }

    // MARK: Reading

    /// The selected packet's index into `list.packets`, nil when nothing is visible.
    var selectedIndex: Int? { visible.indices.contains(selected) ? visible[selected] : nil }
    var selectedPacket: InspectedPacket? { selectedIndex.map { list.packets[$0] } }

    mutating func walk(of index: Int) -> FieldWalk {
        if let walk = walks[index] { return walk }
        let walk = FieldWalk(list.packets[index].dissection)
        walks[index] = walk
        return walk
    }

    // MARK: Keys

    /// Applies a key. Returns false when the key asks to quit.
    mutating func handle(_ key: Key) -> Bool {
        switch mode {
        case .help:
            mode = .browse
            return key != .character("q")
        case .filtering(let text):
            handleFilterKey(key, text: text)
            return true
        case .browse:
            return handleBrowseKey(key)
        }
    }

    private mutating func handleBrowseKey(_ key: Key) -> Bool {
        switch key {
        case .character("q"), .character("Q"), .control("c"), .control("d"): return false
        case .right, .character("n"), .space, .enter: moveStep(by: 1)
        case .left, .character("p"), .backspace: moveStep(by: -1)
        case .home, .character("g"): step = 0
        case .end, .character("G"): step = max(0, stepCount - 1)
        case .down, .character("j"): selectPacket(at: selected + 1)
        case .up, .character("k"): selectPacket(at: selected - 1)
        case .pageDown: selectPacket(at: selected + 10)
        case .pageUp: selectPacket(at: selected - 10)
        case .tab: followFlow(forward: true)
        case .backTab: followFlow(forward: false)
        case .character("?"), .character("h"), .function(1): mode = .help
        case .character("/"): mode = .filtering(filterText)
        default: break
        }
        return true
    }

    private mutating func handleFilterKey(_ key: Key, text: String) {
        switch key {
        case .enter:
            mode = .browse
            applyFilter(text)
        case .escape:
            mode = .browse
        case .backspace:
            mode = .filtering(String(text.dropLast()))
        case .control("u"):
            mode = .filtering("")
        default:
            if let typed = key.typedText, text.count < 200 { mode = .filtering(text + typed) }
        }
    }

    var stepCount: Int {
        mutating get { selectedIndex.map { walk(of: $0).steps.count } ?? 0 }
    }

    private mutating func moveStep(by delta: Int) {
        let count = stepCount
        guard count > 0 else { return }
        let target = step + delta
        if target >= count, selected + 1 < visible.count {
            // Past the last field: on to the first field of the next packet, as reading goes on.
            selectPacket(at: selected + 1)
        } else if target < 0, selected > 0 {
            selectPacket(at: selected - 1)
            step = max(0, stepCount - 1)
        } else {
            step = min(max(0, target), count - 1)
        }
    }

    mutating func selectPacket(at position: Int) {
        guard !visible.isEmpty else { return }
        let clamped = min(max(0, position), visible.count - 1)
        if clamped != selected { step = 0 }
        selected = clamped
    }

    /// Jumps to the next (or previous) packet of the selected packet's first conversation, showing it
    /// even when the filter hides it.
    private mutating func followFlow(forward: Bool) {
        guard let index = selectedIndex, let flow = conversations.conversations(of: index).first,
              let position = flow.members.firstIndex(of: index) else { return }
        let next = position + (forward ? 1 : -1)
        guard flow.members.indices.contains(next) else { return }
        let target = flow.members[next]
        if !visible.contains(target) { applyFilter("") }
        if let newPosition = visible.firstIndex(of: target) {
            selected = newPosition
            step = 0
        }
    }

    mutating func applyFilter(_ text: String) {
        filterText = text.trimmingCharacters(in: .whitespaces)
        refilter(keeping: selectedIndex)
    }

    private mutating func refilter(keeping index: Int?) {
        let filter = PacketFilter(filterText)
        visible = list.packets.indices.filter { filter.isEmpty || filter.matches(list.packets[$0]) }
        if let index, let position = visible.firstIndex(of: index) {
            selected = position
        } else {
            selected = visible.firstIndex { $0 >= (index ?? 0) } ?? max(0, visible.count - 1)
            step = 0
        }
    }

    /// Notes a followed trace keeps, the newest: a file full of bad lines cannot grow them without end
    /// (packets are bounded by `TraceFollower.packetLimit`, which stops following).
    static let noteLimit = 200

    /// New packets from a growing trace (`--follow`): added at the end; the selection stays where it is.
    mutating func append(_ packets: [InspectedPacket], notes: [String]) {
        guard !packets.isEmpty || !notes.isEmpty else { return }
        let wasEmpty = visible.isEmpty
        list.packets += packets
        list.notes = Array((list.notes + notes).suffix(Self.noteLimit))
        list.nameClientsFromConnects()
        conversations = ConversationIndex(list.packets)
        let keep = selectedIndex
        let filter = PacketFilter(filterText)
        visible = list.packets.indices.filter { filter.isEmpty || filter.matches(list.packets[$0]) }
        if let keep, let position = visible.firstIndex(of: keep) { selected = position }
        if wasEmpty { selected = 0; step = 0 }
    }
}
