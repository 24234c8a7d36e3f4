import Foundation

extension StoreError {
    /// `error` itself when it is a `StoreError`, else `.unavailable` describing it (stores report no other
    /// error type; a cancelled read becomes `.unavailable("cancelled")`).
    package static func wrapping(_ error: any Error) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case is CancellationError:
            return .unavailable("cancelled")
        default:
            return .unavailable(String(describing: error))
        }
    }
}
