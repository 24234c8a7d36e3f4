/// Kubernetes' `$(VAR)` expansion (k8s.io/kubernetes third_party/forked/golang/expansion), used for a
/// container's env values, command and args.
///
/// Contract, as Kubernetes: `$(NAME)` becomes the value of `NAME` when it is defined, and stays `$(NAME)` verbatim
/// otherwise; `$$` becomes `$`; a `$` followed by anything else (or an unterminated `$(`) is kept as written.
public enum VariableExpansion {
    /// Expands `input`, looking names up with `lookup`.
    public static func expand(_ input: String, _ lookup: (String) -> String?) -> String {
        let bytes = Array(input.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var cursor = 0
        while cursor < bytes.count {
            let byte = bytes[cursor]
            guard byte == UInt8(ascii: "$"), cursor + 1 < bytes.count else {
                output.append(byte)
                cursor += 1
                continue
            }
            let next = bytes[cursor + 1]
            if next == UInt8(ascii: "$") {
                output.append(next)
                cursor += 2
            } else if next == UInt8(ascii: "("),
                      let close = bytes[(cursor + 2)...].firstIndex(of: UInt8(ascii: ")")) {
                let name = String(decoding: bytes[(cursor + 2)..<close], as: UTF8.self)
                if let value = lookup(name) {
                    output.append(contentsOf: value.utf8)
                } else {
                    output.append(contentsOf: bytes[cursor...close])
                }
                cursor = close + 1
            } else {
                // `$x` or an unterminated `$(`: both bytes are kept and scanning resumes after them.
                output.append(byte)
                output.append(next)
                cursor += 2
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Expands `input` against a dictionary of values.
    public static func expand(_ input: String, in values: [String: String]) -> String {
        expand(input) { values[$0] }
    }
}
