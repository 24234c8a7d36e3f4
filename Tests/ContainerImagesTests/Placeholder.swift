import Testing
@testable import ContainerImages
