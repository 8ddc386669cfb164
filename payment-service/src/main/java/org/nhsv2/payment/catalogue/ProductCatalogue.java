package org.nhsv2.payment.catalogue;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.queryhandling.QueryHandler;
import org.nhsv2.payment.api.ChangeProductCommand;
import org.nhsv2.payment.api.CreateProductCommand;
import org.nhsv2.payment.api.FindProductQuery;
import org.nhsv2.payment.api.FindProductsQuery;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.PaymentRejection;
import org.nhsv2.payment.api.ProductChangedEvent;
import org.nhsv2.payment.api.ProductCreatedEvent;
import org.nhsv2.payment.api.ProductView;
import org.nhsv2.platform.problem.RejectedException;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalogue is a table the transactions read, not an event-sourced aggregate; each change is
 * still recorded as an event, with who made it, in the same transaction as the row.
 */
@Component
class ProductCatalogue {

    private final Products products;

    ProductCatalogue(Products products) {
        this.products = products;
    }

    @CommandHandler
    ProductView handle(CreateProductCommand command, EventBus events) {
        ProductView product = new ProductView(command.productId(), command.name(), command.unitAmount(),
                command.currency(), command.active());
        products.insert(product);
        events.publish(GenericEventMessage.asEventMessage(new ProductCreatedEvent(product.productId(), product.name(),
                product.unitAmount(), product.currency(), product.active())));
        return product;
    }

    @CommandHandler
    ProductView handle(ChangeProductCommand command, EventBus events) {
        ProductView before = products.lock(command.productId())
                .orElseThrow(() -> new RejectedException(PaymentRejection.of(PaymentError.PRODUCT_NOT_FOUND)));
        ProductView after = new ProductView(before.productId(), Objects.requireNonNullElse(command.name(), before.name()),
                Objects.requireNonNullElse(command.unitAmount(), before.unitAmount()), before.currency(),
                Objects.requireNonNullElse(command.active(), before.active()));
        if (after.equals(before)) {
            return before;
        }
        products.update(after);
        events.publish(GenericEventMessage.asEventMessage(new ProductChangedEvent(after.productId(),
                changed(before.name(), after.name()) ? before.name() : null, changed(before.name(), after.name()) ? after.name() : null,
                before.unitAmount() != after.unitAmount() ? before.unitAmount() : null,
                before.unitAmount() != after.unitAmount() ? after.unitAmount() : null,
                before.active() != after.active() ? before.active() : null,
                before.active() != after.active() ? after.active() : null, command.reason())));
        return after;
    }

    @QueryHandler
    List<ProductView> handle(FindProductsQuery query) {
        return products.all(query.includeInactive());
    }

    @QueryHandler
    Optional<ProductView> handle(FindProductQuery query) {
        return products.find(query.productId());
    }

    private static boolean changed(Object before, Object after) {
        return !Objects.equals(before, after);
    }
}
