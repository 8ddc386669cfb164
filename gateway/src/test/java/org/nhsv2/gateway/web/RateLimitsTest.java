package org.nhsv2.gateway.web;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitsTest {

    @Test
    void shouldGiveEveryAddressOfOneIpv6SlashSixtyFourTheSameBucket() throws Exception {
        String one = RateLimits.addressKey(InetAddress.getByName("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        String other = RateLimits.addressKey(InetAddress.getByName("2001:db8:1:2::1"));
        String nextSite = RateLimits.addressKey(InetAddress.getByName("2001:db8:1:3::1"));

        assertThat(one).isEqualTo(other).isEqualTo("ip6:2001:db8:1:2:0:0:0:0/64");
        assertThat(nextSite).isNotEqualTo(one);
    }

    @Test
    void shouldKeyIpv4AddressesOneByOneAndMappedOnesAsIpv4() throws Exception {
        assertThat(RateLimits.addressKey(InetAddress.getByName("203.0.113.7"))).isEqualTo("ip:203.0.113.7");
        assertThat(RateLimits.addressKey(InetAddress.getByName("203.0.113.8"))).isEqualTo("ip:203.0.113.8");
        // Java reads ::ffff:a.b.c.d as the IPv4 address itself
        assertThat(RateLimits.addressKey(InetAddress.getByName("::ffff:203.0.113.7"))).isEqualTo("ip:203.0.113.7");
    }
}
