import APIModel

/// Validation of the containers of a pod spec, as Kubernetes' `validateContainers`, `validateInitContainers`
/// and `validateContainerCommon`: names, images, ports, environment, volume mounts, pull policy, resources
/// and probes.
enum ContainerValidation {
    static let protocols = ["SCTP", "TCP", "UDP"]

    /// The regular containers (at least one) at `path` (`spec.containers`), with volume names `volumes`.
    static func containers(_ containers: [Container], volumes: Set<String>, path: String) -> [FieldError] {
        if containers.isEmpty { return [.required(path)] }
        var errors: [FieldError] = []
        var names = Set<String>()
        for (i, c) in containers.enumerated() {
            let p = "\(path)[\(i)]"
            errors += common(c, volumes: volumes, path: p)
            if !names.insert(c.name ?? "").inserted {
                errors.append(.duplicate("\(p).name", GoSyntax.string(c.name ?? "")))
            }
            errors += lifecycle(c.lifecycle, "\(p).lifecycle")
            errors += probe(c.livenessProbe, "\(p).livenessProbe", kind: .liveness)
            errors += probe(c.readinessProbe, "\(p).readinessProbe", kind: .readiness)
            errors += probe(c.startupProbe, "\(p).startupProbe", kind: .startup)
            if c.restartPolicy != nil {
                errors.append(.forbidden("\(p).restartPolicy", "may not be set for non-init containers"))
            }
        }
        return errors + hostPortConflicts(containers, path: path)
    }

    /// The init containers at `path`; their names must differ from the regular containers' names too.
    static func initContainers(_ containers: [Container], regular: [Container], volumes: Set<String>,
                               path: String) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set(regular.compactMap(\.name))
        for (i, c) in containers.enumerated() {
            let p = "\(path)[\(i)]"
            errors += common(c, volumes: volumes, path: p)
            let restartAlways = c.restartPolicy == "Always"
            if let policy = c.restartPolicy, policy != "Always" {
                errors.append(.notSupported("\(p).restartPolicy", policy, supported: ["Always"]))
            }
            let name = c.name ?? ""
            if names.contains(name) {
                errors.append(.duplicate("\(p).name", GoSyntax.string(name)))
            } else if !name.isEmpty {
                names.insert(name)
            }
            errors += hostPortConflicts([c], path: path)
            if restartAlways {
                errors += lifecycle(c.lifecycle, "\(p).lifecycle")
                errors += probe(c.livenessProbe, "\(p).livenessProbe", kind: .liveness)
                errors += probe(c.readinessProbe, "\(p).readinessProbe", kind: .readiness)
                errors += probe(c.startupProbe, "\(p).startupProbe", kind: .startup)
            } else {
                let notAllowed = "may not be set for init containers without restartPolicy=Always"
                if c.lifecycle != nil { errors.append(.forbidden("\(p).lifecycle", notAllowed)) }
                if c.livenessProbe != nil { errors.append(.forbidden("\(p).livenessProbe", notAllowed)) }
                if c.readinessProbe != nil { errors.append(.forbidden("\(p).readinessProbe", notAllowed)) }
                if c.startupProbe != nil { errors.append(.forbidden("\(p).startupProbe", notAllowed)) }
            }
        }
        return errors
    }

    /// What every container kind is checked for.
    static func common(_ c: Container, volumes: Set<String>, path p: String) -> [FieldError] {
        var errors: [FieldError] = []
        let name = c.name ?? ""
        if name.isEmpty {
            errors.append(.required("\(p).name"))
        } else {
            errors += FieldChecks.dns1123Label(name, "\(p).name")
        }
        if (c.image ?? "").isEmpty { errors.append(.required("\(p).image")) }
        errors += FieldChecks.oneOf(c.terminationMessagePolicy, ["File", "FallbackToLogsOnError"],
                                    "\(p).terminationMessagePolicy")
        errors += ports(c.ports ?? [], "\(p).ports")
        errors += env(c.env ?? [], "\(p).env")
        errors += volumeMounts(c.volumeMounts ?? [], volumes: volumes, "\(p).volumeMounts")
        errors += FieldChecks.oneOf(c.imagePullPolicy, ["Always", "IfNotPresent", "Never"], "\(p).imagePullPolicy")
        errors += ResourceValidation.requirements(c.resources, "\(p).resources")
        return errors
    }

    static func ports(_ ports: [ContainerPort], _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        var names = Set<String>()
        for (i, port) in ports.enumerated() {
            let p = "\(path)[\(i)]"
            if let name = port.name, !name.isEmpty {
                let problems = ValueValidation.isValidPortName(name)
                if !problems.isEmpty {
                    errors += problems.map { .invalid("\(p).name", name, $0) }
                } else if !names.insert(name).inserted {
                    errors.append(.duplicate("\(p).name", GoSyntax.string(name)))
                }
            }
            let number = port.containerPort ?? 0
            if number == 0 {
                errors.append(.required("\(p).containerPort"))
            } else {
                errors += FieldChecks.portNumber(number, "\(p).containerPort")
            }
            if let hostPort = port.hostPort, hostPort != 0 {
                errors += FieldChecks.portNumber(hostPort, "\(p).hostPort")
            }
            errors += FieldChecks.oneOf(port.protocol, protocols, "\(p).protocol")
        }
        return errors
    }

    /// Two containers may not claim the same host port, protocol and host IP.
    static func hostPortConflicts(_ containers: [Container], path: String) -> [FieldError] {
        var seen = Set<String>()
        var errors: [FieldError] = []
        for (ci, c) in containers.enumerated() {
            for (pi, port) in (c.ports ?? []).enumerated() {
                guard let hostPort = port.hostPort, hostPort != 0 else { continue }
                let key = "\(port.protocol ?? "")/\(port.hostIP ?? "")/\(hostPort)"
                if !seen.insert(key).inserted {
                    errors.append(.duplicate("\(path)[\(ci)].ports[\(pi)].hostPort", GoSyntax.string(key)))
                }
            }
        }
        return errors
    }

    static func env(_ variables: [EnvVar], _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (i, variable) in variables.enumerated() {
            let p = "\(path)[\(i)]"
            let name = variable.name ?? ""
            if name.isEmpty {
                errors.append(.required("\(p).name"))
            } else {
                errors += ValueValidation.isEnvVarName(name).map { .invalid("\(p).name", name, $0) }
            }
            if let source = variable.valueFrom {
                let count = [source.fieldRef != nil, source.resourceFieldRef != nil, source.configMapKeyRef != nil,
                             source.secretKeyRef != nil].filter { $0 }.count
                let q = "\(p).valueFrom"
                if count == 0 {
                    errors.append(.invalid(q, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
                } else if !(variable.value ?? "").isEmpty {
                    errors.append(.invalid(q, "", "may not be specified when `value` is not empty"))
                } else if count > 1 {
                    errors.append(.invalid(q, "", "may not have more than one field specified at a time"))
                }
                if let ref = source.fieldRef, (ref.fieldPath ?? "").isEmpty {
                    errors.append(.required("\(q).fieldRef.fieldPath"))
                }
                if let ref = source.configMapKeyRef {
                    errors += keySelector(name: ref.name, key: ref.key, "\(q).configMapKeyRef")
                }
                if let ref = source.secretKeyRef {
                    errors += keySelector(name: ref.name, key: ref.key, "\(q).secretKeyRef")
                }
            }
        }
        return errors
    }

    /// A ConfigMap or Secret key reference: a valid object name and a valid key.
    private static func keySelector(name: String?, key: String?, _ path: String) -> [FieldError] {
        let name = name ?? ""
        var errors = NameValidation.nameIsDNSSubdomain(name, prefix: false).map { FieldError.invalid("\(path).name", name, $0) }
        let key = key ?? ""
        if key.isEmpty {
            errors.append(.required("\(path).key"))
        } else {
            errors += ValueValidation.isConfigMapKey(key).map { .invalid("\(path).key", key, $0) }
        }
        return errors
    }

    static func volumeMounts(_ mounts: [VolumeMount], volumes: Set<String>, _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        var mountPaths = Set<String>()
        for (i, mount) in mounts.enumerated() {
            let p = "\(path)[\(i)]"
            let name = mount.name ?? ""
            if name.isEmpty { errors.append(.required("\(p).name")) }
            if !volumes.contains(name) { errors.append(.notFound("\(p).name", name)) }
            let mountPath = mount.mountPath ?? ""
            if mountPath.isEmpty { errors.append(.required("\(p).mountPath")) }
            if !mountPaths.insert(mountPath).inserted {
                errors.append(.invalid("\(p).mountPath", mountPath, "must be unique"))
            }
            if let subPath = mount.subPath, !subPath.isEmpty {
                errors += VolumeValidation.localDescendingPath(subPath, "\(path).subPath")
            }
            if let expression = mount.subPathExpr, !expression.isEmpty {
                if !(mount.subPath ?? "").isEmpty {
                    errors.append(.invalid("\(p).subPathExpr", expression, "subPathExpr and subPath are mutually exclusive"))
                }
                errors += VolumeValidation.localDescendingPath(expression, "\(path).subPathExpr")
            }
        }
        return errors
    }

    // MARK: Probes and lifecycle hooks

    enum ProbeKind { case liveness, readiness, startup }

    static func probe(_ probe: Probe?, _ path: String, kind: ProbeKind) -> [FieldError] {
        guard let probe else { return [] }
        var errors = handler(exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket,
                             grpcPort: probe.grpc.map { $0.port ?? 0 }, path)
        errors += FieldChecks.nonNegative(probe.initialDelaySeconds, "\(path).initialDelaySeconds")
        errors += FieldChecks.nonNegative(probe.timeoutSeconds, "\(path).timeoutSeconds")
        errors += FieldChecks.nonNegative(probe.periodSeconds, "\(path).periodSeconds")
        errors += FieldChecks.nonNegative(probe.successThreshold, "\(path).successThreshold")
        errors += FieldChecks.nonNegative(probe.failureThreshold, "\(path).failureThreshold")
        if let grace = probe.terminationGracePeriodSeconds, grace <= 0 {
            errors.append(.invalidValue("\(path).terminationGracePeriodSeconds", String(grace), "must be greater than 0"))
        }
        switch kind {
        case .liveness, .startup:
            if let success = probe.successThreshold, success != 1 {
                errors.append(.invalidValue("\(path).successThreshold", String(success), "must be 1"))
            }
        case .readiness:
            if let grace = probe.terminationGracePeriodSeconds {
                errors.append(.invalidValue("\(path).terminationGracePeriodSeconds", String(grace),
                                            "must not be set for readinessProbes"))
            }
        }
        return errors
    }

    static func lifecycle(_ lifecycle: Lifecycle?, _ path: String) -> [FieldError] {
        guard let lifecycle else { return [] }
        var errors: [FieldError] = []
        for (name, hook) in [("postStart", lifecycle.postStart), ("preStop", lifecycle.preStop)] {
            guard let hook else { continue }
            errors += handler(exec: hook.exec, httpGet: hook.httpGet, tcpSocket: hook.tcpSocket, grpcPort: nil,
                              "\(path).\(name)")
        }
        return errors
    }

    /// Exactly one of exec, httpGet, tcpSocket and grpc, each well formed.
    private static func handler(exec: ExecAction?, httpGet: HTTPGetAction?, tcpSocket: TCPSocketAction?,
                                grpcPort: Int32?, _ path: String) -> [FieldError] {
        var errors: [FieldError] = []
        var count = 0
        func claim(_ name: String) -> Bool {
            if count > 0 {
                errors.append(.forbidden("\(path).\(name)", "may not specify more than 1 handler type"))
                return false
            }
            count += 1
            return true
        }
        if let exec, claim("exec"), (exec.command ?? []).isEmpty {
            errors.append(.required("\(path).exec.command"))
        }
        if let httpGet, claim("httpGet") {
            if (httpGet.path ?? "").isEmpty { errors.append(.required("\(path).httpGet.path")) }
            errors += FieldChecks.portNumberOrName(httpGet.port, "\(path).httpGet.port")
            let scheme = httpGet.scheme ?? ""
            if !["HTTP", "HTTPS"].contains(scheme) {
                errors.append(.notSupported("\(path).httpGet.scheme", scheme, supported: ["HTTP", "HTTPS"]))
            }
        }
        if let tcpSocket, claim("tcpSocket") {
            errors += FieldChecks.portNumberOrName(tcpSocket.port, "\(path).tcpSocket.port")
        }
        if let grpcPort, claim("grpc") {
            errors += FieldChecks.portNumber(grpcPort, "\(path).grpc.port")
        }
        if count == 0 { errors.append(.required(path, "must specify a handler type")) }
        return errors
    }
}
