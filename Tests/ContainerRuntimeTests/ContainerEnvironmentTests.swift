import APIModel
import Testing
@testable import ContainerRuntime

@Suite struct ContainerEnvironmentTests {
    @Test func variablesExpandAgainstEarlierOnesOnly() {
        let env = [
            EnvVar(name: "A", value: "a"),
            EnvVar(name: "B", value: "$(A)-$(C)"),
            EnvVar(name: "C", value: "c"),
            EnvVar(name: "SECRET", valueFrom: EnvVarSource()),
            EnvVar(name: "MISSING", valueFrom: EnvVarSource()),
            EnvVar(name: "ESCAPED", value: "$$(A)"),
        ]
        let variables = ContainerEnvironment.variables(of: env, resolvedValues: ["SECRET": "$(A)"])
        #expect(variables.map(\.name) == ["A", "B", "C", "SECRET", "MISSING", "ESCAPED"])
        #expect(variables.map(\.value) == ["a", "a-$(C)", "c", "$(A)", "", "$(A)"])
    }

    @Test func laterDuplicateReplacesInPlace() {
        let env = [EnvVar(name: "A", value: "1"), EnvVar(name: "B", value: "2"), EnvVar(name: "A", value: "$(A)3")]
        let variables = ContainerEnvironment.variables(of: env)
        #expect(variables.map(\.name) == ["A", "B"])
        #expect(variables.map(\.value) == ["13", "2"])
    }

    @Test func serviceValuesAreTheFallbackAndFollowUndefined() {
        let variables = ContainerEnvironment.variables(
            of: [EnvVar(name: "URL", value: "http://$(SVC_HOST)"), EnvVar(name: "SVC_PORT", value: "mine")],
            serviceValues: ["SVC_PORT": "80", "SVC_HOST": "10.43.0.5", "A_HOST": "10.43.0.9"])
        #expect(variables.map(\.name) == ["URL", "SVC_PORT", "A_HOST", "SVC_HOST"])
        #expect(variables.map(\.value) == ["http://10.43.0.5", "mine", "10.43.0.9", "10.43.0.5"])
    }

    @Test func containerVariablesOverrideImageOnesOverDefaults() {
        let environment = ContainerEnvironment.processEnvironment(
            hostname: "web-0", image: ["PATH=/bin", "HOME=/root", "X=image"], container: [("X", "pod"), ("NEW", "1")])
        #expect(environment == ["PATH=/bin", "HOSTNAME=web-0", "HOME=/root", "X=pod", "NEW=1"])
        #expect(ContainerEnvironment.processEnvironment(hostname: "h", image: [], container: [("HOSTNAME", "x")])
            == [ContainerEnvironment.defaultPath, "HOSTNAME=x"])
    }

    @Test func commandReplacesEntrypointAndDropsCmd() throws {
        let image = ImageConfig(entrypoint: ["/entry"], cmd: ["default"])
        #expect(try ContainerEnvironment.processArgs(command: ["/bin/sh"], args: nil, image: image, variables: [:])
            == ["/bin/sh"])
        #expect(try ContainerEnvironment.processArgs(command: ["/bin/sh"], args: ["-c", "x"], image: image,
                                                     variables: [:]) == ["/bin/sh", "-c", "x"])
    }

    @Test func argsReplaceCmdAndKeepEntrypoint() throws {
        let image = ImageConfig(entrypoint: ["/entry"], cmd: ["default"])
        #expect(try ContainerEnvironment.processArgs(command: nil, args: ["mine"], image: image, variables: [:])
            == ["/entry", "mine"])
        #expect(try ContainerEnvironment.processArgs(command: [], args: [], image: image, variables: [:])
            == ["/entry", "default"])
    }

    @Test func emptyStringEntrypointCountsAsNone() throws {
        let image = ImageConfig(entrypoint: [""], cmd: ["/bin/true"])
        #expect(try ContainerEnvironment.processArgs(command: nil, args: nil, image: image, variables: [:])
            == ["/bin/true"])
    }

    @Test func commandAndArgsAreExpanded() throws {
        let args = try ContainerEnvironment.processArgs(
            command: ["echo", "$(GREETING)"], args: ["$(NAME)", "$$(NAME)", "$(UNSET)"], image: ImageConfig(),
            variables: ["GREETING": "hello", "NAME": "world"])
        #expect(args == ["echo", "hello", "world", "$(NAME)", "$(UNSET)"])
    }

    @Test func nothingToRunThrows() {
        #expect(throws: SpecError.noCommand) {
            try ContainerEnvironment.processArgs(command: nil, args: nil, image: ImageConfig(), variables: [:])
        }
    }
}
