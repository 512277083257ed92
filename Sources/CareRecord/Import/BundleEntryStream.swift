import FHIR
import Foundation

/// Streams a FHIR Bundle file: its top-level members one by one, and the elements of its
/// `entry` array as raw bytes, one at a time, in memory bounded by one chunk plus one entry.
///
/// It is a byte-level scanner, not a parser: it follows strings (with their backslash
/// escapes), bracket nesting and whitespace to find where each top-level member and each
/// element of the top-level `entry` array begins and ends. Entry bytes are handed over as
/// they are (the consumer parses each strictly); other members' values are parsed here with
/// `JSONParser`. Brackets must balance and match, but nothing else inside an entry is checked.
public final class BundleEntryStream {
    public enum Event: Sendable, Equatable {
        /// A top-level member other than `entry`, parsed (e.g. "resourceType", "type", "id", "meta").
        case member(String, JSON)
        /// One element of the top-level `entry` array, as its raw JSON bytes (0-based index).
        case entry(index: Int, bytes: [UInt8])
        /// An entry larger than `maxEntryBytes`: skipped, not held.
        case entryTooLarge(index: Int)
    }

    /// Deeper nesting than this inside one value is refused (the strict parser allows far
    /// less), so the bracket stack stays small whatever the file holds.
    static let maxNestingDepth = 10_000

    private enum State: Equatable {
        /// Before the bundle's opening brace.
        case start
        /// After the opening brace (`first`) or a comma: a member name must come.
        case beforeKey(first: Bool)
        /// Inside a member name (collected, quotes included).
        case key
        /// After a member name: the colon must come.
        case afterKey
        /// After the colon: the value must come.
        case beforeValue
        /// Inside a string, object or array member value (collected).
        case memberValue
        /// Inside a number or literal member value (collected up to the next delimiter).
        case memberScalar
        /// After a member: a comma or the closing brace must come.
        case afterMember
        /// After `[` of `entry` (`first`) or a comma between entries.
        case beforeEntry(first: Bool)
        /// Inside one entry (collected unless over the limit).
        case entry
        /// After an entry: a comma or `]` must come.
        case afterEntry
        /// After the bundle's closing brace: only whitespace may follow.
        case end
    }

    private let handle: FileHandle
    private let chunkSize: Int
    private let maxEntryBytes: Int
    private let maxMemberBytes: Int

    /// The current chunk, and the next byte of it to scan.
    private var chunk: [UInt8] = []
    private var position = 0
    /// The file offset of `chunk[0]`.
    private var chunkOffset = 0
    private var finished = false

    private var state = State.start
    /// The bytes of the member name, member value or entry being read.
    private var collected: [UInt8] = []
    /// Inside an overlong entry: its bytes are scanned but not kept.
    private var discarding = false
    /// The file offset where the current name, value or entry began.
    private var valueOffset = 0
    private var currentKey = ""
    private var seenKeys: Set<[UInt8]> = []
    private var entryIndex = 0

    // The structure scanner's state, kept between chunks.
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// The file offset of the opening quote of the string being scanned.
    private var stringOffset = 0
    /// The opening bracket at each nesting level.
    private let brackets: UnsafeMutablePointer<UInt8>

    /// Bytes read from the file so far, for progress.
    public private(set) var bytesRead = 0

    public init(path: String, chunkSize: Int = 1 << 20, maxEntryBytes: Int = 64 << 20, maxMemberBytes: Int = 1 << 20) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        self.handle = handle
        self.chunkSize = max(1, chunkSize)
        self.maxEntryBytes = maxEntryBytes
        self.maxMemberBytes = maxMemberBytes
        brackets = .allocate(capacity: Self.maxNestingDepth)
    }

    deinit {
        try? handle.close()
        brackets.deallocate()
    }

    /// The next event in file order, or nil after the closing brace of the bundle (once the
    /// rest of the file has been checked to be only whitespace).
    public func next() throws -> Event? {
        while true {
            if position >= chunk.count {
                guard try refill() else {
                    try checkEnd()
                    return nil
                }
            }
            if let event = try chunk.withUnsafeBufferPointer({ buffer in try scan(buffer) }) {
                return event
            }
        }
    }

    // MARK: - Reading

    private func refill() throws -> Bool {
        if finished { return false }
        let data = try handle.read(upToCount: chunkSize) ?? Data()
        if data.isEmpty {
            finished = true
            chunk = []
            position = 0
            chunkOffset = bytesRead
            return false
        }
        chunkOffset = bytesRead
        bytesRead += data.count
        chunk.removeAll(keepingCapacity: true)
        data.withUnsafeBytes { raw in chunk.append(contentsOf: raw.assumingMemoryBound(to: UInt8.self)) }
        position = 0
        return true
    }

    /// At the end of the file: fine only after the closing brace.
    private func checkEnd() throws {
        switch state {
        case .end:
            return
        case .start:
            throw StreamError(kind: .empty, offset: bytesRead)
        case .key, .memberValue, .entry:
            if inString { throw StreamError(kind: .unterminatedString, offset: stringOffset) }
            throw StreamError(kind: .unterminatedValue, offset: valueOffset)
        default:
            throw StreamError(kind: .truncated, offset: bytesRead)
        }
    }

    // MARK: - Scanning

    /// Scans the current chunk from `position` until an event is complete (returned) or the
    /// chunk is used up (nil).
    private func scan(_ buffer: UnsafeBufferPointer<UInt8>) throws -> Event? {
        let count = buffer.count
        while position < count {
            switch state {
            case .key, .memberValue, .entry:
                let start = position
                if let last = try scanStructure(buffer, from: start) {
                    position = last + 1
                    try collect(buffer, start, last + 1)
                    if let event = try finishValue() { return event }
                } else {
                    try collect(buffer, start, count)
                    position = count
                }
            case .memberScalar:
                let start = position
                var index = start
                while index < count, !Self.endsScalar(buffer[index]) { index += 1 }
                try collect(buffer, start, index)
                position = index
                if index < count { return try finishMember() }
            default:
                let byte = buffer[position]
                if Self.isWhitespace(byte) {
                    position += 1
                    continue
                }
                try structural(byte)
            }
        }
        return nil
    }

    /// One significant byte of the bundle's own structure (outside any value).
    private func structural(_ byte: UInt8) throws {
        let offset = chunkOffset + position
        switch state {
        case .start:
            guard byte == UInt8(ascii: "{") else { throw StreamError(kind: .notAnObject, offset: offset) }
            state = .beforeKey(first: true)
            position += 1
        case .beforeKey(let first):
            if byte == UInt8(ascii: "\"") {
                beginValue(.key)
            } else if first, byte == UInt8(ascii: "}") {
                state = .end
                position += 1
            } else {
                throw StreamError(kind: .unexpectedCharacter, offset: offset)
            }
        case .afterKey:
            guard byte == UInt8(ascii: ":") else { throw StreamError(kind: .unexpectedCharacter, offset: offset) }
            state = .beforeValue
            position += 1
        case .beforeValue:
            if currentKey == "entry" {
                guard byte == UInt8(ascii: "[") else { throw StreamError(kind: .entryNotArray, offset: offset) }
                state = .beforeEntry(first: true)
                position += 1
                return
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""):
                beginValue(.memberValue)
            case _ where Self.endsScalar(byte):
                throw StreamError(kind: .unexpectedCharacter, offset: offset)
            default:
                // A number or literal; the parser checks it once it is complete.
                beginValue(.memberScalar)
            }
        case .afterMember:
            if byte == UInt8(ascii: ",") {
                state = .beforeKey(first: false)
            } else if byte == UInt8(ascii: "}") {
                state = .end
            } else {
                throw StreamError(kind: .unexpectedCharacter, offset: offset)
            }
            position += 1
        case .beforeEntry(let first):
            if byte == UInt8(ascii: "{") {
                beginValue(.entry)
            } else if first, byte == UInt8(ascii: "]") {
                state = .afterMember
                position += 1
            } else if byte == UInt8(ascii: "]") {
                throw StreamError(kind: .unexpectedCharacter, offset: offset)
            } else {
                throw StreamError(kind: .entryNotObject, offset: offset)
            }
        case .afterEntry:
            if byte == UInt8(ascii: ",") {
                state = .beforeEntry(first: false)
            } else if byte == UInt8(ascii: "]") {
                state = .afterMember
            } else {
                throw StreamError(kind: .unexpectedCharacter, offset: offset)
            }
            position += 1
        case .end:
            throw StreamError(kind: .trailingData, offset: offset)
        case .key, .memberValue, .memberScalar, .entry:
            preconditionFailure("values are scanned elsewhere")
        }
    }

    /// Starts collecting a name, value or entry at `position` (its first byte is scanned as
    /// part of it).
    private func beginValue(_ next: State) {
        state = next
        valueOffset = chunkOffset + position
        collected = []
        discarding = false
        depth = 0
        inString = false
        escaped = false
    }

    /// Follows strings and brackets from `start`, until the value that began at depth 0 ends:
    /// returns the index of its last byte, or nil when the chunk ends first.
    @inline(__always)
    private func scanStructure(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) throws -> Int? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        let count = buffer.count
        let base = chunkOffset
        let brackets = self.brackets
        let limit = Self.maxNestingDepth
        var depth = self.depth
        var inString = self.inString
        var escaped = self.escaped
        var stringOffset = self.stringOffset
        defer {
            self.depth = depth
            self.inString = inString
            self.escaped = escaped
            self.stringOffset = stringOffset
        }
        var index = start
        while index < count {
            if inString {
                if escaped {
                    escaped = false
                    index += 1
                    continue
                }
                // Eight bytes at a time while no quote or backslash is among them: the
                // lowest flagged byte of `haszero(word ^ pattern)` is exactly the first match.
                if let raw = UnsafeRawPointer(buffer.baseAddress) {
                    while index + 8 <= count {
                        let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                        let quotes = word ^ 0x2222_2222_2222_2222
                        let backslashes = word ^ 0x5C5C_5C5C_5C5C_5C5C
                        let found = ((quotes &- 0x0101_0101_0101_0101) & ~quotes
                            | (backslashes &- 0x0101_0101_0101_0101) & ~backslashes) & 0x8080_8080_8080_8080
                        if found != 0 {
                            index += found.trailingZeroBitCount >> 3
                            break
                        }
                        index += 8
                    }
                }
                while index < count {
                    let byte = buffer[index]
                    if byte == quote || byte == backslash { break }
                    index += 1
                }
                if index == count { break }
                if buffer[index] == backslash {
                    escaped = true
                    index += 1
                    continue
                }
                inString = false
                if depth == 0 { return index }
                index += 1
                continue
            }
            let byte = buffer[index]
            switch byte {
            case quote:
                inString = true
                stringOffset = base + index
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < limit else { throw StreamError(kind: .tooDeep, offset: base + index) }
                brackets[depth] = byte
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                // Within a value the depth is at least 1 here: a value at depth 0 is a
                // string (handled above) or ends when its last bracket closes.
                depth -= 1
                // `{`/`}` and `[`/`]` are both two code points apart.
                guard brackets[depth] == byte &- 2 else {
                    throw StreamError(kind: .mismatchedBracket, offset: base + index)
                }
                if depth == 0 { return index }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// Keeps `buffer[from..<to]` as part of the current name, value or entry, within its limit.
    private func collect(_ buffer: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) throws {
        if discarding || from == to { return }
        let limit = state == .entry ? maxEntryBytes : maxMemberBytes
        if collected.count + (to - from) > limit {
            guard case .entry = state else {
                throw StreamError(kind: .memberTooLarge, offset: valueOffset)
            }
            discarding = true
            collected = []
            return
        }
        collected.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[from..<to]))
    }

    /// A name, structured value or entry has just ended.
    private func finishValue() throws -> Event? {
        switch state {
        case .key:
            let name: String
            do {
                guard let text = try JSONParser().parse(collected).stringValue else {
                    throw StreamError(kind: .invalidKey, offset: valueOffset)
                }
                name = text
            } catch let error as JSONParseError {
                throw StreamError(kind: .invalidKey, offset: valueOffset + error.offset, parseError: error.kind)
            }
            guard seenKeys.insert(Array(name.utf8)).inserted else {
                throw StreamError(kind: .duplicateKey, offset: valueOffset, key: String(name.prefix(64)))
            }
            currentKey = name
            collected = []
            state = .afterKey
            return nil
        case .memberValue:
            return try finishMember()
        case .entry:
            let index = entryIndex
            entryIndex += 1
            state = .afterEntry
            if discarding {
                discarding = false
                return .entryTooLarge(index: index)
            }
            let bytes = collected
            collected = []
            return .entry(index: index, bytes: bytes)
        default:
            preconditionFailure("only names, values and entries end here")
        }
    }

    private func finishMember() throws -> Event {
        let value: JSON
        do throws(JSONParseError) {
            value = try JSONParser().parse(collected)
        } catch {
            throw StreamError(kind: .invalidMember, offset: valueOffset + error.offset, parseError: error.kind)
        }
        collected = []
        state = .afterMember
        return .member(currentKey, value)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Whether `byte` ends a number or literal at the top level.
    private static func endsScalar(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
    }
}

extension BundleEntryStream {
    /// Why a bundle file cannot be streamed, and where: the byte offset in the file and what was
    /// wrong. It never quotes the file, which holds health data; only a duplicate top-level key
    /// (a Bundle element name, never a value) is named.
    public struct StreamError: Error, Sendable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable {
            case empty = "the file is empty"
            case notAnObject = "the file is not a JSON object at top level"
            case unexpectedCharacter = "unexpected character in the bundle's top-level structure"
            case entryNotArray = "'entry' is not an array"
            case entryNotObject = "an element of 'entry' is not an object"
            case unterminatedString = "a string is never terminated"
            case unterminatedValue = "an object or array is never closed"
            case mismatchedBracket = "a closing bracket does not match the opening one"
            case tooDeep = "nesting too deep"
            case truncated = "the file ends before the bundle's closing brace"
            case trailingData = "data after the bundle's closing brace"
            case duplicateKey = "duplicate top-level key"
            case invalidKey = "a top-level member name is not a valid JSON string"
            case invalidMember = "a top-level member's value is not valid JSON"
            case memberTooLarge = "a top-level member's value is larger than the limit"
        }

        public var kind: Kind
        /// The 0-based byte offset in the file: where the fault is, or where the unterminated
        /// string, value or over-large member begins.
        public var offset: Int
        /// For duplicate keys: the key (a Bundle element name, never a value).
        public var key: String?
        /// For invalid names and values: what the strict parser found wrong.
        public var parseError: JSONParseError.Kind?

        public init(kind: Kind, offset: Int, key: String? = nil, parseError: JSONParseError.Kind? = nil) {
            self.kind = kind
            self.offset = offset
            self.key = key
            self.parseError = parseError
        }

        public var description: String {
            var text = "\(kind.rawValue) at byte offset \(offset)"
            if let key { text += " (key '\(key)')" }
            if let parseError { text += ": \(parseError.rawValue)" }
            return text
        }
    }
}
