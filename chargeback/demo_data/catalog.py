"""The cloud catalog: the providers and the SKUs cloud resources are drawn from.

Per provider: its FOCUS names, billing account, regions and the shared sandbox
sub-account; per SKU: its FOCUS service fields, list and contracted prices, quantity
model, weight and the templates of resource ids and names.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVIDERS = {
    "aws": {
        "ProviderName": "AWS",
        "PublisherName": "Amazon Web Services, Inc.",
        "InvoiceIssuerName": "Amazon Web Services, Inc.",
        "BillingAccountId": "400000000000",
        "BillingAccountName": "State Shared Services AWS Organization",
        "credit": "AWS Promotional Credit",
        "regions": (
            ("us-east-1", "US East (N. Virginia)", 0.55),
            ("us-east-2", "US East (Ohio)", 0.25),
            ("us-west-2", "US West (Oregon)", 0.20),
        ),
    },
    "microsoft": {
        "ProviderName": "Microsoft",
        "PublisherName": "Microsoft",
        "InvoiceIssuerName": "Microsoft",
        "BillingAccountId": "84000000",
        "BillingAccountName": "State Shared Services Enterprise Agreement",
        "credit": "Azure Prepayment credit",
        "regions": (
            ("southcentralus", "South Central US", 0.60),
            ("eastus", "East US", 0.25),
            ("centralus", "Central US", 0.15),
        ),
    },
}


SANDBOX_ACCOUNTS = {
    "aws": ("499999999999", "Shared sandbox"),
    "microsoft": ("/subscriptions/00000000-0000-4000-8000-499999999999", "Shared sandbox"),
}


@dataclass(frozen=True)
class CloudSku:
    service_name: str
    service_category: str
    resource_type: str
    sku_id: str
    sku_price_id: str
    pricing_unit: str
    list_price: str  # decimal string; quantity decimals + price decimals == 10
    contracted_price: str
    qty_decimals: int
    qty_model: str  # hours | gbmo | gb | requests
    weight: float
    description: str
    resource_id: str  # template with {acct} {region} {hex} {n} {code} {app}
    resource_name: str


def _aws_sku(svc, cat, rtype, sku, unit, lp, cp, qd, model, w, desc, rid, rname) -> CloudSku:
    return CloudSku(
        svc,
        cat,
        rtype,
        sku,
        f"{sku}.JRTCKXETXF.6YS6EN2CT7",
        unit,
        lp,
        cp,
        qd,
        model,
        w,
        desc,
        rid,
        rname,
    )


def _ms_sku(svc, cat, rtype, sku, unit, lp, cp, qd, model, w, desc, rid, rname) -> CloudSku:
    return CloudSku(
        svc, cat, rtype, sku, f"{sku}/0001", unit, lp, cp, qd, model, w, desc, rid, rname
    )


_EC2 = "Amazon Elastic Compute Cloud"
_VM_RID = "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Compute/virtualMachines/"
CLOUD_SKUS: dict[str, tuple[CloudSku, ...]] = {
    "aws": (
        _aws_sku(
            _EC2,
            "Compute",
            "Instance",
            "8VCNEHQMSCQS4P39",
            "Hours",
            "0.096000",
            "0.084480",
            4,
            "hours",
            22,
            "$0.096 per On Demand Linux m5.large Instance Hour",
            "arn:aws:ec2:{region}:{acct}:instance/i-{hex}",
            "{code}-{app}-ec2-{n}",
        ),
        _aws_sku(
            _EC2,
            "Compute",
            "Instance",
            "Q4RDCCY2Z6J7DEWP",
            "Hours",
            "0.252000",
            "0.221760",
            4,
            "hours",
            8,
            "$0.252 per On Demand Linux r5.xlarge Instance Hour",
            "arn:aws:ec2:{region}:{acct}:instance/i-{hex}",
            "{code}-{app}-ec2-{n}",
        ),
        _aws_sku(
            _EC2,
            "Storage",
            "Volume",
            "XWCTMRRUJM7TGYST",
            "GB-Mo",
            "0.080000",
            "0.072000",
            4,
            "gbmo",
            14,
            "$0.08 per GB-month of General Purpose SSD (gp3) provisioned storage",
            "arn:aws:ec2:{region}:{acct}:volume/vol-{hex}",
            "{code}-{app}-vol-{n}",
        ),
        _aws_sku(
            "Amazon Simple Storage Service",
            "Storage",
            "Bucket",
            "WP9ANXZGBYYSGJEA",
            "GB-Mo",
            "0.023000",
            "0.021850",
            4,
            "gbmo",
            12,
            "$0.023 per GB - first 50 TB / month of storage used",
            "arn:aws:s3:::{code}-{app}-{n}",
            "{code}-{app}-{n}",
        ),
        _aws_sku(
            "Amazon Relational Database Service",
            "Databases",
            "DB Instance",
            "QMCAWV5TNZ6MCNQE",
            "Hours",
            "0.178000",
            "0.160200",
            4,
            "hours",
            10,
            "$0.178 per RDS db.m5.large Single-AZ instance hour (or partial hour) "
            "running PostgreSQL",
            "arn:aws:rds:{region}:{acct}:db:{code}-{app}-db-{n}",
            "{code}-{app}-db-{n}",
        ),
        _aws_sku(
            "AWS Lambda",
            "Compute",
            "Function",
            "TG3ZQJD8JYPVQZKR",
            "Requests",
            "0.0000002000",
            "0.0000002000",
            0,
            "requests",
            6,
            "AWS Lambda - Total Requests - US East (N. Virginia)",
            "arn:aws:lambda:{region}:{acct}:function:{code}-{app}-fn-{n}",
            "{code}-{app}-fn-{n}",
        ),
        _aws_sku(
            "Amazon Virtual Private Cloud",
            "Networking",
            "NAT Gateway",
            "M2YSHUBETB3JX4M4",
            "Hours",
            "0.045000",
            "0.045000",
            4,
            "hours",
            5,
            "$0.045 per NAT Gateway Hour",
            "arn:aws:ec2:{region}:{acct}:natgateway/nat-{hex}",
            "{code}-{app}-nat-{n}",
        ),
        _aws_sku(
            "Amazon CloudFront",
            "Networking",
            "Distribution",
            "6SAXW5Z7UZ7VEM7U",
            "GB",
            "0.085000",
            "0.080750",
            4,
            "gb",
            4,
            "$0.085 per GB - first 10 TB / month data transfer out (United States)",
            "arn:aws:cloudfront::{acct}:distribution/E{hex}",
            "{code}-{app}-cdn-{n}",
        ),
    ),
    "microsoft": (
        _ms_sku(
            "Virtual Machines",
            "Compute",
            "Virtual machine",
            "DZH318Z0BQ4L/00G1",
            "1 Hour",
            "0.096000",
            "0.086400",
            4,
            "hours",
            22,
            "Virtual Machines Dsv5 Series - D2s v5 - US South Central",
            _VM_RID + "vm-{code}-{n}",
            "vm-{code}-{n}",
        ),
        _ms_sku(
            "Virtual Machines",
            "Compute",
            "Virtual machine",
            "DZH318Z0BQ5D/00F9",
            "1 Hour",
            "0.252000",
            "0.226800",
            4,
            "hours",
            8,
            "Virtual Machines Esv5 Series - E4s v5 - US South Central",
            _VM_RID + "vm-{code}-{n}",
            "vm-{code}-{n}",
        ),
        _ms_sku(
            "Storage",
            "Storage",
            "Disk",
            "DZH318Z0BP04/0087",
            "1 GB/Month",
            "0.120000",
            "0.108000",
            4,
            "gbmo",
            14,
            "Premium SSD Managed Disks - P10 LRS Disk",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Compute/disks/"
            "disk-{code}-{n}",
            "disk-{code}-{n}",
        ),
        _ms_sku(
            "Storage",
            "Storage",
            "Storage account",
            "DZH318Z0BNVX/003S",
            "1 GB/Month",
            "0.018400",
            "0.017480",
            4,
            "gbmo",
            12,
            "Blob Storage - Hot LRS Data Stored",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Storage/"
            "storageAccounts/st{code}{n}",
            "st{code}{n}",
        ),
        _ms_sku(
            "Azure SQL Database",
            "Databases",
            "SQL database",
            "DZH318Z0BQ9Z/0019",
            "1 Hour",
            "0.252000",
            "0.231840",
            4,
            "hours",
            10,
            "SQL Database Single General Purpose - Compute Gen5 - vCore",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Sql/servers/"
            "sql-{code}-{n}/databases/{app}",
            "sql-{code}-{n}",
        ),
        _ms_sku(
            "Azure Functions",
            "Compute",
            "Function app",
            "DZH318Z0BQ7T/000B",
            "Executions",
            "0.0000002000",
            "0.0000002000",
            0,
            "requests",
            6,
            "Functions - Standard Total Executions",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Web/sites/func-{code}-{n}",
            "func-{code}-{n}",
        ),
        _ms_sku(
            "Virtual Network",
            "Networking",
            "NAT gateway",
            "DZH318Z0BQ3N/0004",
            "1 Hour",
            "0.045000",
            "0.045000",
            4,
            "hours",
            5,
            "NAT Gateway - Gateway",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Network/"
            "natGateways/nat-{code}-{n}",
            "nat-{code}-{n}",
        ),
        _ms_sku(
            "Bandwidth",
            "Networking",
            "Public IP address",
            "DZH318Z0BNVR/0007",
            "1 GB",
            "0.087000",
            "0.082650",
            4,
            "gb",
            4,
            "Rtn Preference: MGN - Data Transfer Out",
            "{acct}/resourceGroups/rg-{code}-{app}/providers/Microsoft.Network/"
            "publicIPAddresses/pip-{code}-{n}",
            "pip-{code}-{n}",
        ),
    ),
}
