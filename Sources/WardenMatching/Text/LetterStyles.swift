/// Letter styles and look-alikes that Unicode's compatibility mapping (NFKC) does not fold.
///
/// Regional indicators (🇦), negative circled and squared letters (🅐 🅰), small capitals (ᴀ),
/// and the Cyrillic and Greek letters that Unicode's confusables data marks as look-alikes of
/// Latin ones (`а`, `ν`), and the other letters that data calls look-alikes (`ConfusableLetters`).
/// NFKC already handles mathematical, circled, parenthesized, squared and
/// full-width letters.
enum LetterStyles {
    static func ascii(_ v: UInt32) -> UInt32? {
        switch v {
        case 0x1F1E6...0x1F1FF: return 0x61 + (v - 0x1F1E6)  // regional indicators
        case 0x1F150...0x1F169: return 0x61 + (v - 0x1F150)  // negative circled
        case 0x1F170...0x1F189: return 0x61 + (v - 0x1F170)  // negative squared
        case 0x1F130...0x1F149: return 0x61 + (v - 0x1F130)  // squared (also NFKC)
        default: return table[v] ?? confusable[v]
        }
    }

    /// The rest of Unicode's look-alike letters (Cherokee Ꮩ, Lisu ꓦ, ʋ): `ConfusableLetters`.
    static let confusable = FoldTable.pairMap(ConfusableLetters.pairs)

    static let table: [UInt32: UInt32] = {
        var t: [UInt32: UInt32] = [:]
        func add(_ from: String, _ to: String) {
            for (f, a) in zip(from.unicodeScalars, to.unicodeScalars) { t[f.value] = a.value }
        }
        // Small capitals.
        add("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnoprstuvwyz")
        // Cyrillic look-alikes (lower and upper case).
        add("аеорсухіјѕԁԛԝһӏ", "aeopcyxijsdqwhl")
        add("АВЕКМНОРСТХУЅІЈ", "ABEKMHOPCTXYSIJ")
        // Greek look-alikes.
        add("αονρυικχ", "aovpuikx")
        add("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX")
        return t
    }()
}
