/// The mistakes people make typing a name or a date, as a person-matching engine meets them.
enum RecordErrors {
    /// Neighbouring keys on a UK keyboard, for slips of the finger.
    private static let neighbours: [Character: String] = [
        "a": "qsz", "b": "vgn", "c": "xdv", "d": "sfe", "e": "wrd", "f": "dgr", "g": "fht", "h": "gjy", "i": "uok", "j": "hku",
        "k": "jli", "l": "ko", "m": "nj", "n": "bm", "o": "ipl", "p": "o", "q": "wa", "r": "etf", "s": "adw", "t": "ryg",
        "u": "yij", "v": "cb", "w": "qes", "x": "zc", "y": "tuh", "z": "xa",
    ]

    /// One slip: a neighbouring key, a dropped letter, two letters swapped or one doubled.
    static func typo(_ text: String, _ generator: inout SeededGenerator) -> String {
        var letters = Array(text)
        guard letters.count >= 3 else { return text }
        let at = generator.between(1, letters.count - 2)
        switch generator.between(0, 3) {
        case 0:
            let lower = Character(letters[at].lowercased())
            if let choices = neighbours[lower] {
                let replacement = generator.pick(Array(choices))
                letters[at] = letters[at].isUppercase ? Character(replacement.uppercased()) : replacement
            }
        case 1: letters.remove(at: at)
        case 2: letters.swapAt(at, at + 1)
        default: letters.insert(letters[at], at: at)
        }
        return String(letters)
    }

    /// A date of birth with day and month swapped, when the swap still makes a date.
    static func swapDayAndMonth(_ date: (year: Int, month: Int, day: Int)) -> (year: Int, month: Int, day: Int)? {
        guard date.day <= 12, date.day != date.month else { return nil }
        return (date.year, date.day, date.month)
    }

    /// A mistyped digit in the date: the day or the year off by one.
    static func dateTypo(_ date: (year: Int, month: Int, day: Int), _ generator: inout SeededGenerator) -> (year: Int, month: Int, day: Int) {
        generator.chance(0.5) ? (date.year + (generator.chance(0.5) ? 1 : -1), date.month, date.day)
            : (date.year, date.month, date.day == 28 ? 27 : date.day + 1)
    }
}
