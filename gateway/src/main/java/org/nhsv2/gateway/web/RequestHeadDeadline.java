package org.nhsv2.gateway.web;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has not sent a whole request head (request line and headers) within the deadline of its
 * opening, or of the end of its last answer: a client that opens connections and sends nothing, or a header a byte at
 * a time, holds a socket and its buffers only this long (slowloris). Netty hands a request to the filters only once
 * its head is complete, so nothing above this handler sees such a connection; an idle keep-alive connection ends the
 * same way. The body has its own limit ({@link RequestBodyFilter}). Sits right after the HTTP codec, on the
 * connection's event loop; one instance per connection.
 */
public final class RequestHeadDeadline extends ChannelDuplexHandler {

    /** Its name in the pipeline. */
    public static final String NAME = "nhsv2.requestHeadDeadline";
    private static final Logger log = LoggerFactory.getLogger(RequestHeadDeadline.class);

    private final long deadlineNanos;
    /** Requests whose head was read and whose answer has not ended yet (more than one only when pipelined). */
    private int unanswered;
    private ScheduledFuture<?> closing;

    public RequestHeadDeadline(Duration deadline) {
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            awaitHead(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        awaitHead(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            unanswered++;
            cancel();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent && !informational(msg)) {
            promise = promise.unvoid();
            promise.addListener(written -> {
                unanswered = Math.max(0, unanswered - 1);
                if (unanswered == 0) {
                    awaitHead(ctx);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    /** A {@code 100 Continue} (written when the body is first read) is a whole message, but not the answer. */
    private static boolean informational(Object msg) {
        return msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    private void awaitHead(ChannelHandlerContext ctx) {
        if (closing != null || !ctx.channel().isActive()) {
            return;
        }
        closing = ctx.executor().schedule(() -> {
            closing = null;
            if (unanswered == 0) {
                log.debug("Closing {}: no whole request head within {} ms", ctx.channel().remoteAddress(),
                        TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
                ctx.close();
            }
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (closing != null) {
            closing.cancel(false);
            closing = null;
        }
    }
}
