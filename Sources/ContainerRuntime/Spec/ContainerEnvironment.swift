import APIModel

/// A container's environment and process arguments as the kubelet and containerd compute them.
public enum ContainerEnvironment {
    /// The container's own variables, in the order of `env`, as the kubelet computes them: a non-empty `value`
    /// is `$(VAR)`-expanded against the variables defined before it (then `serviceValues`); a variable without
    /// a value takes `resolvedValues[name]` (its `valueFrom`, resolved by the caller, never expanded) or "".
    /// A later entry with the same name replaces an earlier one in place.
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
        return result
    }

    /// The process environment: the image's `NAME=value` entries with the container's variables applied over
    /// them (same name replaces, new names are appended), as containerd's `WithEnv`.
    public static func merged(image: [String], container: [(name: String, value: String)]) -> [String] {
        var entries = image
        for (name, value) in container {
            let entry = "\(name)=\(value)"
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
