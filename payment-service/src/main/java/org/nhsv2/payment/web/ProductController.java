package org.nhsv2.payment.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.nhsv2.payment.api.ChangeProductCommand;
import org.nhsv2.payment.api.CreateProductCommand;
import org.nhsv2.payment.api.FindProductQuery;
import org.nhsv2.payment.api.FindProductsQuery;
import org.nhsv2.payment.api.PaymentError;
import org.nhsv2.payment.api.ProductView;
import org.nhsv2.platform.api.Actor;
import org.nhsv2.platform.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/** The clinic's catalogue. Everyone signed in reads it; admins change it. Prices in minor units. */
@RestController
@Tag(name = "Products", description = "The catalogue payments are made from")
@RequestMapping("/api/products")
class ProductController {

    private final CommandGateway commands;
    private final QueryGateway queries;

    ProductController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    /** Active products; admins may ask for inactive ones too. */
    @GetMapping
    List<ProductView> list(@RequestParam(defaultValue = "false") boolean includeInactive, Actor actor) {
        return queries.query(new FindProductsQuery(includeInactive && actor.role() == Actor.Role.ADMIN),
                ResponseTypes.multipleInstancesOf(ProductView.class)).join();
    }

    @GetMapping("/{productId}")
    ProductView get(@PathVariable UUID productId) {
        return queries.query(new FindProductQuery(productId), ResponseTypes.optionalInstanceOf(ProductView.class)).join()
                .orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND,
                        PaymentError.PRODUCT_NOT_FOUND.code(), PaymentError.PRODUCT_NOT_FOUND.title(),
                        "No product " + productId), null));
    }

    @PostMapping
    ResponseEntity<ProductView> create(@Valid @RequestBody ProductRequest request, Actor actor) {
        ProductView created = commands.sendAndWait(new CreateProductCommand(UUID.randomUUID(), request.name(),
                request.unitAmount(), request.currency(), request.active() == null || request.active()),
                MetaData.from(actor.metaData()));
        return ResponseEntity.created(URI.create("/api/products/" + created.productId())).body(created);
    }

    @PatchMapping("/{productId}")
    ProductView change(@PathVariable UUID productId, @Valid @RequestBody ProductChange change, Actor actor) {
        return commands.sendAndWait(new ChangeProductCommand(productId, change.name(), change.unitAmount(), change.active(),
                change.reason()),
                MetaData.from(actor.metaData()));
    }
}
