import APIModel

/// A container's environment and process arguments as the kubelet and containerd compute them.
public enum ContainerEnvironment {
    /// The container's own variables, in the order of `env`, as the kubelet computes them: a non-empty `value`
    /// is `$(VAR)`-expanded against the variables defined before it (then `serviceValues`); a variable without
    /// a value takes `resolvedValues[name]` (its `valueFrom`, resolved by the caller, never expanded) or "".
    /// A later entry with the same name replaces an earlier one in place. Service variables that the container
    /// does not define follow, sorted by name.
    public static func variables(of env: [EnvVar], resolvedValues: [String: String] = [:],
                                 serviceValues: [String: String] = [:]) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        var defined: [String: String] = [:]
        for variable in env {
            guard let name = variable.name else { continue }
            let value: String
            if let literal = variable.value, !literal.isEmpty {
                value = VariableExpansion.expand(literal) { defined[$0] ?? serviceValues[$0] }
            } else {
                value = resolvedValues[name] ?? ""
            }
            if let index = result.firstIndex(where: { $0.name == name }) {
                result[index].value = value
            } else {
                result.append((name, value))
            }
            defined[name] = value
        }
        for (name, value) in serviceValues.sorted(by: { $0.key < $1.key }) where defined[name] == nil {
            result.append((name, value))
        }
        return result
    }

    /// containerd's default `PATH`.
    public static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The process environment as containerd's CRI plugin builds it: the default PATH, `HOSTNAME`, the image's
    /// `NAME=value` entries, then the container's variables; an entry replaces an earlier one of the same name
    /// in place, new names are appended (containerd's `WithEnv`).
    public static func processEnvironment(hostname: String, image: [String],
                                          container: [(name: String, value: String)]) -> [String] {
        var entries: [String] = []
        for entry in [defaultPath, "HOSTNAME=\(hostname)"] + image + container.map({ "\($0.name)=\($0.value)" }) {
            let name = entryName(entry)
            if let index = entries.firstIndex(where: { entryName($0) == name }) {
                entries[index] = entry
            } else {
                entries.append(entry)
            }
        }
        return entries
    }

    /// The process arguments, as containerd's CRI plugin computes them: `command` (expanded) replaces the
    /// image's Entrypoint and then drops its Cmd; `args` (expanded) replaces the image's Cmd. An Entrypoint of
    /// exactly `[""]` counts as none. Throws `SpecError.noCommand` when nothing is left to run.
    public static func processArgs(command: [String]?, args: [String]?, image: ImageConfig,
                                   variables: [String: String]) throws(SpecError) -> [String] {
        let expandedCommand = (command ?? []).map { VariableExpansion.expand($0, in: variables) }
        var expandedArgs = (args ?? []).map { VariableExpansion.expand($0, in: variables) }
        var executable = expandedCommand
        if executable.isEmpty {
            if expandedArgs.isEmpty { expandedArgs = image.cmd ?? [] }
            if let entrypoint = image.entrypoint, entrypoint != [""] { executable = entrypoint }
        }
        let result = executable + expandedArgs
        guard !result.isEmpty else { throw .noCommand }
        return result
    }

    private static func entryName(_ entry: String) -> Substring {
        entry.prefix { $0 != "=" }
    }
}
