"""What the warehouse hands to people and other systems: invoice documents (`documents`),
the LAR and budget workbooks (`planning`), the audit package (`audit_package`), budget-alert
e-mails (`alerts`), the `chargeback-export` CLI (`export`) and the summary (`summary`). All of
it reads the marts through `chargeback.db`, as the signed-in principal."""
