import Foundation

/// The folded form of text that string search compares (R4: "case and accent insensitive").
/// Both the indexed values and the searched value go through `normalize`, so a prefix match
/// on the folded forms is the spec's default `:starts-with` behaviour.
public enum SearchText {
    /// Unicode lowercase, diacritics removed ("Zoë" -> "zoe", "ÅSE" -> "ase"), whitespace
    /// runs collapsed to one space, trimmed. ASCII text (nearly every value) takes a byte
    /// loop without Foundation; other text is lowercased, decomposed (NFD), stripped of
    /// combining diacritics and recomposed (NFC) so that scripts which decompose without
    /// marks (Hangul) come back as they were.
    public static func normalize(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return normalizeASCII(text) }
        return normalizeUnicode(text)
    }

    private static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    private static func normalizeASCII(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if isASCIISpace(byte) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            out.append(byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Combining diacritical marks: the general block and its supplements and extensions, plus
    /// half marks. Only these are dropped (not every nonspacing mark), so that emoji variation
    /// selectors and the vowel signs of Indic scripts, which carry meaning, stay.
    private static func isDiacritic(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20DC, 0xFE20...0xFE2F: true
        default: false
        }
    }

    /// Letters with a stroke or ligatures that carry no decomposition but are read as
    /// accented forms of a base letter; final sigma folds to sigma (lowercasing is not
    /// context-aware, so "ΟΔΟΣ" and "οδος" must meet).
    private static func fold(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "ø": "o"
        case "ł": "l"
        case "đ": "d"
        case "ħ": "h"
        case "ß": "ss"
        case "ς": "σ"
        case "ı": "i"
        default: nil
        }
    }

    private static func normalizeUnicode(_ text: String) -> String {
        let decomposed = text.lowercased().decomposedStringWithCanonicalMapping
        var folded = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in decomposed.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !folded.isEmpty
                continue
            }
            if isDiacritic(scalar) { continue }
            if pendingSpace {
                folded.append(" ")
                pendingSpace = false
            }
            if let replacement = fold(scalar) {
                folded.append(contentsOf: replacement.unicodeScalars)
            } else {
                folded.append(scalar)
            }
        }
        return String(folded).precomposedStringWithCanonicalMapping
    }
}
