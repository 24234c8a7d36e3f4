import Foundation

extension CodingUserInfoKey {
    /// Set to `true` in a decoder's userInfo to leave `metadata.managedFields` undecoded (nil): for readers
    /// that never look at them (the watch cache's summaries, informers), as client-go's informers trim them.
    public static let skipsManagedFields = CodingUserInfoKey(rawValue: "skiff.skipsManagedFields")!
}

extension Decoder {
    /// Whether this decoding leaves managedFields out (see `CodingUserInfoKey.skipsManagedFields`).
    public var skipsManagedFields: Bool { userInfo[.skipsManagedFields] as? Bool == true }
}

extension JSONDecoder {
    /// A decoder that leaves `metadata.managedFields` out.
    public static func skippingManagedFields() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.userInfo[.skipsManagedFields] = true
        return decoder
    }
}
