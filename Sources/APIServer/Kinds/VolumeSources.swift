import APIModel

/// The sources a pod volume can name, in the order Kubernetes' `validateVolumeSource` checks them (the order
/// decides which source a "more than 1 volume type" error names).
enum VolumeSources {
    /// The field names of the sources set in `volume`, in validation order.
    static func present(in v: Volume) -> [String] {
        let sources: [(String, Bool)] = [
            ("emptyDir", v.emptyDir != nil), ("hostPath", v.hostPath != nil), ("gitRepo", v.gitRepo != nil),
            ("gcePersistentDisk", v.gcePersistentDisk != nil), ("awsElasticBlockStore", v.awsElasticBlockStore != nil),
            ("secret", v.secret != nil), ("nfs", v.nfs != nil), ("iscsi", v.iscsi != nil),
            ("glusterfs", v.glusterfs != nil), ("flocker", v.flocker != nil),
            ("persistentVolumeClaim", v.persistentVolumeClaim != nil), ("rbd", v.rbd != nil),
            ("cinder", v.cinder != nil), ("cephFS", v.cephfs != nil), ("quobyte", v.quobyte != nil),
            ("downwarAPI", v.downwardAPI != nil), ("fc", v.fc != nil), ("flexVolume", v.flexVolume != nil),
            ("configMap", v.configMap != nil), ("azureFile", v.azureFile != nil),
            ("vsphereVolume", v.vsphereVolume != nil), ("photonPersistentDisk", v.photonPersistentDisk != nil),
            ("portworxVolume", v.portworxVolume != nil), ("azureDisk", v.azureDisk != nil),
            ("storageos", v.storageos != nil), ("projected", v.projected != nil), ("scaleIO", v.scaleIO != nil),
            ("csi", v.csi != nil), ("ephemeral", v.ephemeral != nil),
        ]
        return sources.filter(\.1).map(\.0)
    }
}
