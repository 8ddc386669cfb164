package org.nhsv2.gateway.config;

import org.nhsv2.gateway.web.RequestHeadDeadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.NettyPipeline;

/** What the public port allows a connection before it has sent a request: see {@link RequestHeadDeadline}. */
@Configuration(proxyBeanMethods = false)
class ConnectionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ConnectionConfiguration.class);

    @Bean
    NettyServerCustomizer requestHeadDeadline(GatewayProperties properties) {
        return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) == null) {
                log.warn("No HTTP/1.1 codec on {}: no request head deadline", channel);
                return;
            }
            channel.pipeline().addAfter(NettyPipeline.HttpCodec, RequestHeadDeadline.NAME,
                    new RequestHeadDeadline(properties.requestHeadTimeout()));
        });
    }
}
