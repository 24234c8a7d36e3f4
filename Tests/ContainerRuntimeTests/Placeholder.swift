import Testing
@testable import ContainerRuntime
