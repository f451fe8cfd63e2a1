/// Text shown on one line: newlines, carriage returns, tabs and other control characters in user
/// text (a file name, a parameter file's key) are written as escapes (`\n`, `\u{1b}`), so that an
/// error stays the one line the conventions promise and cannot fake further lines (issue 23, 13).
extension String {
    public var escapedForOneLine: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for u in unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || (0x7F..<0xA0).contains(u.value) || u.value == 0x2028 || u.value == 0x2029:
                out += "\\u{" + String(u.value, radix: 16) + "}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
