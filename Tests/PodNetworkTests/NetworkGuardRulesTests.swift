import APIModel
import Testing
@testable import PodNetwork

@Suite struct NetworkGuardRulesTests {
    let rules = NetworkGuardRules(PodNetworkConfig(podCIDR: IPv4CIDR("10.42.0.0/24")!, ipamDataDirectory: "/i",
                                                   netnsDirectory: "/n"))

    @Test func scriptReplacesTheTableAtomically() {
        #expect(rules.script() == """
            table inet skiff_guard
            delete table inet skiff_guard
            table inet skiff_guard {
            \tset cluster_nets {
            \t\ttype ipv4_addr
            \t\tflags interval
            \t\telements = { 10.42.0.0/16, 10.43.0.0/16 }
            \t}
            \tset private_nets {
            \t\ttype ipv4_addr
            \t\tflags interval
            \t\telements = { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 }
            \t}
            \tset peer_pod_nets {
            \t\ttype ipv4_addr
            \t\tflags interval
            \t}
            \tset cluster_hosts {
            \t\ttype ipv4_addr
            \t}
            \tchain guard_output {
            \t\ttype filter hook output priority 0; policy accept;
            \t\tip daddr @peer_pod_nets accept
            \t\toifname != { "lo", "skiff0" } ip daddr @cluster_nets counter drop
            \t\toifname != { "lo", "skiff0" } ip saddr @cluster_nets counter drop
            \t}
            \tchain guard_forward {
            \t\ttype filter hook forward priority 0; policy accept;
            \t\tip daddr @peer_pod_nets accept
            \t\toifname != "skiff0" ip daddr @cluster_nets counter drop
            \t\tiifname "skiff0" ip daddr @cluster_hosts accept
            \t\tiifname "skiff0" oifname != "skiff0" ip daddr @private_nets counter drop
            \t}
            }

            """)
    }

    @Test func peerSetIsReplacedInOneTransaction() {
        #expect(rules.peerSetScript([IPv4CIDR("10.42.1.0/24")!, IPv4CIDR("10.42.2.0/24")!],
                                    hosts: [IPv4Address("192.168.5.2")!]) == """
            flush set inet skiff_guard peer_pod_nets
            add element inet skiff_guard peer_pod_nets { 10.42.1.0/24, 10.42.2.0/24 }
            flush set inet skiff_guard cluster_hosts
            add element inet skiff_guard cluster_hosts { 192.168.5.2 }

            """)
        #expect(rules.peerSetScript([]) == "flush set inet skiff_guard peer_pod_nets\nflush set inet skiff_guard cluster_hosts\n")
    }

    @Test func removalDeclaresTheTableFirstSoItNeverFails() {
        #expect(rules.removalScript() == "table inet skiff_guard\ndelete table inet skiff_guard\n")
    }

    @Test func namesAreQuotedSafely() {
        var odd = rules
        odd.bridgeName = "br\"0"
        #expect(odd.script().contains(#"oifname != "br0" ip daddr"#))
    }
}
