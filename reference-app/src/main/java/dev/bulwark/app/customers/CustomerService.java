package dev.bulwark.app.customers;

import dev.bulwark.app.files.FileService;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Req;
import dev.bulwark.app.product.Forms;
import dev.bulwark.app.product.RandomIds;
import dev.bulwark.audit.Outcome;
import dev.bulwark.tenancy.TenantContext;

import java.util.List;

/** Customer use cases: validation, audit, and deletion of a customer's files with the customer. */
public final class CustomerService {
    private final CustomerRepository repo;
    private final FileService files;
    private final Audit audit;

    public CustomerService(CustomerRepository repo, FileService files, Audit audit) {
        this.repo = repo;
        this.files = files;
        this.audit = audit;
    }

    public CustomerRepository repository() {
        return repo;
    }

    public Customer create(Req req, TenantContext ctx) {
        Customer c = read(req, RandomIds.next("cus"), null, System.currentTimeMillis());
        repo.insert(ctx, c);
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "customer.create", "customer", c.id(), Outcome.SUCCESS, req, null, false);
        return repo.byId(ctx, c.id()).orElseThrow();
    }

    public Customer update(Req req, TenantContext ctx, String id) {
        Customer old = get(ctx, id);
        Customer c = read(req, id, old.staffMemberId(), old.createdAtMs());
        if (!repo.update(ctx, c)) throw AppError.notFound();
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "customer.update", "customer", id, Outcome.SUCCESS, req, null, false);
        return repo.byId(ctx, id).orElseThrow();
    }

    /** Deletes the customer and every file attached to them. */
    public void delete(Req req, TenantContext ctx, String id) {
        get(ctx, id);
        int removed = files.deleteAllOf(ctx, "customer", id);
        if (!repo.delete(ctx, id)) throw AppError.notFound();
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "customer.delete", "customer", id, Outcome.SUCCESS, req,
                dev.bulwark.audit.Details.of("files_deleted", removed), false);
    }

    public Customer get(TenantContext ctx, String id) {
        if (!RandomIds.looksLike("cus", id)) throw AppError.notFound();
        return repo.byId(ctx, id).orElseThrow(AppError::notFound);
    }

    /** A customer's record for a person or an API key to read: the read itself is audited (ASVS 8.3.5). */
    public Customer view(Req req, TenantContext ctx, String id) {
        Customer c = get(ctx, id);
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "customer.viewed", "customer", id, Outcome.SUCCESS, req, null, false);
        return c;
    }

    /** The customer list (or an exact e-mail search) for a person or an API key to read, audited with how many were shown. */
    public List<Customer> browse(Req req, TenantContext ctx, String email) {
        List<Customer> list = search(ctx, email);
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "customer.listed", null, null, Outcome.SUCCESS, req,
                dev.bulwark.audit.Details.of("shown", list.size(), "by_email", email != null && !email.isBlank()), false);
        return list;
    }

    public List<Customer> search(TenantContext ctx, String email) {
        if (email == null || email.isBlank()) return repo.list(ctx, 500);
        return repo.byEmail(ctx, email);
    }

    private static Customer read(Req req, String id, String staff, long created) {
        Forms f = new Forms(req);
        String name = f.text("name", 1, 200);
        String email = f.email("email", false);
        String phone = f.optional("phone", 50);
        if (!phone.isEmpty() && !phone.matches("[+0-9 ()./-]{3,50}")) f.error("phone", "may contain digits, spaces and + ( ) . / - only");
        String address = f.optional("address", 500);
        String notes = f.optional("notes", 4000);
        f.check();
        return new Customer(id, name, email, phone, address, notes, staff, created, System.currentTimeMillis());
    }
}
