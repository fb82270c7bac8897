-- Reconciliation of every usage feed per billing month and SKU, every difference explained
-- or flagged: source (int_usage_events_tallied: duplicates counted once, quarantined,
-- superseded by a restated cloud delivery, unallocated, rated), rated (at the rate card,
-- unrounded), billed (the month's usage lines; issued ones from the register once closed)
-- and corrected (ppa lines of the month and SKU on later invoices). Flagged (is_flagged)
-- when the rows do not add up, or when rated and billed differ without a PPA explaining it.
-- Quarantined data without a valid month or SKU has billing_month or sku_id null.
with

sourced as (

    select * from {{ ref('int_usage_events_tallied') }}

),

invoice_lines as (

    select * from {{ ref('fct_invoice_lines') }}

),

catalog as (

    select * from {{ ref('sku_catalog') }}

),

closes as (

    select * from {{ ref('stg_register__period_closes') }}

),

billed as (

    select
        catalog.feed,
        invoice_lines.billing_month,
        invoice_lines.sku_id,
        count(*) as billed_line_count,
        sum(invoice_lines.quantity) as billed_quantity,
        sum(invoice_lines.unrounded_amount) as billed_amount

    from invoice_lines
    inner join catalog
        on invoice_lines.sku_id = catalog.sku_id
    where invoice_lines.charge_type = 'usage'
    group by catalog.feed, invoice_lines.billing_month, invoice_lines.sku_id

),

corrected as (

    select
        catalog.feed,
        invoice_lines.original_billing_month as billing_month,
        invoice_lines.sku_id,
        count(*) as ppa_line_count,
        sum(coalesce(invoice_lines.quantity, 0)) as ppa_quantity

    from invoice_lines
    inner join catalog
        on invoice_lines.sku_id = catalog.sku_id
    where invoice_lines.charge_type = 'ppa'
    group by catalog.feed, invoice_lines.original_billing_month, invoice_lines.sku_id

),

joined as (

    select
        coalesce(sourced.feed, billed.feed, corrected.feed) as feed,
        coalesce(sourced.billing_month, billed.billing_month, corrected.billing_month)
            as billing_month,
        coalesce(sourced.sku_id, billed.sku_id, corrected.sku_id) as sku_id,
        coalesce(sourced.landed_rows, 0) as landed_rows,
        coalesce(sourced.landed_quantity, 0) as landed_quantity,
        sourced.landed_source_cost,
        coalesce(sourced.duplicate_rows, 0) as duplicate_rows,
        coalesce(sourced.duplicate_quantity, 0) as duplicate_quantity,
        sourced.duplicate_source_cost,
        coalesce(sourced.quarantined_rows, 0) as quarantined_rows,
        coalesce(sourced.quarantined_quantity, 0) as quarantined_quantity,
        sourced.quarantined_source_cost,
        coalesce(sourced.superseded_rows, 0) as superseded_rows,
        coalesce(sourced.superseded_quantity, 0) as superseded_quantity,
        sourced.superseded_source_cost,
        coalesce(sourced.unallocated_rows, 0) as unallocated_rows,
        coalesce(sourced.unallocated_quantity, 0) as unallocated_quantity,
        sourced.unallocated_source_cost,
        coalesce(sourced.rated_rows, 0) as rated_rows,
        coalesce(sourced.rated_source_quantity, 0) as rated_source_quantity,
        sourced.rated_source_cost,
        coalesce(sourced.rated_quantity, 0) as rated_quantity,
        coalesce(sourced.rated_amount, 0) as rated_amount,
        coalesce(sourced.unaccounted_rows, 0) as unaccounted_rows,
        coalesce(billed.billed_line_count, 0) as billed_line_count,
        coalesce(billed.billed_quantity, 0) as billed_quantity,
        coalesce(billed.billed_amount, 0) as billed_amount,
        coalesce(corrected.ppa_line_count, 0) as ppa_line_count,
        coalesce(corrected.ppa_quantity, 0) as ppa_quantity

    from sourced
    full outer join billed
        on
            sourced.feed = billed.feed
            and sourced.billing_month = billed.billing_month
            and sourced.sku_id = billed.sku_id
    full outer join corrected
        on
            coalesce(sourced.feed, billed.feed) = corrected.feed
            and coalesce(sourced.billing_month, billed.billing_month) = corrected.billing_month
            and coalesce(sourced.sku_id, billed.sku_id) = corrected.sku_id

),

compared as (

    select
        joined.*,
        closes.billing_month is not null as is_month_closed,
        joined.landed_rows - joined.duplicate_rows - joined.quarantined_rows
        - joined.superseded_rows - joined.unallocated_rows - joined.rated_rows
            as rows_difference,
        joined.rated_quantity - joined.billed_quantity as unbilled_quantity,
        joined.rated_amount - joined.billed_amount as unbilled_amount,
        joined.rated_quantity - joined.billed_quantity - joined.ppa_quantity
            as uncorrected_quantity

    from joined
    left join closes
        on joined.billing_month = closes.billing_month

),

final as (

    select
        {{ text_hash(['feed', 'billing_month', 'sku_id']) }} as feed_reconciliation_id,
        *,
        coalesce(nullif(concat_ws(
            '; ',
            case
                when duplicate_rows > 0
                    then
                        cast(duplicate_rows as {{ text_type() }})
                        || ' duplicate row(s) counted once'
            end,
            case
                when quarantined_rows > 0
                    then
                        cast(quarantined_rows as {{ text_type() }})
                        || ' row(s) quarantined with their reason (fct_quarantined_usage)'
            end,
            case
                when superseded_rows > 0
                    then
                        cast(superseded_rows as {{ text_type() }})
                        || ' row(s) restated by a later delivery (fct_cloud_deliveries)'
            end,
            case
                when unallocated_rows > 0
                    then
                        cast(unallocated_rows as {{ text_type() }})
                        || ' row(s) rated into the unallocated bucket (fct_unallocated_charges)'
            end,
            case
                when unbilled_amount <> 0 and is_month_closed and ppa_line_count > 0
                    then
                        'rated after the close or at a corrected rate: '
                        || cast(ppa_line_count as {{ text_type() }})
                        || ' prior-period adjustment line(s) bill the difference'
            end,
            case
                when rows_difference <> 0 or unaccounted_rows > 0
                    then 'FLAG: landed rows do not add up'
            end,
            case
                when unbilled_amount <> 0 and not (is_month_closed and ppa_line_count > 0)
                    then
                        'FLAG: rated and billed differ by '
                        || cast(unbilled_amount as {{ text_type() }}) || ' without a correction'
            end,
            case
                when
                    uncorrected_quantity <> 0 and unbilled_amount = 0
                    then
                        'FLAG: rated and billed quantities differ by '
                        || cast(uncorrected_quantity as {{ text_type() }})
            end
        ), ''), 'source, rated and billed agree') as explanation,
        (
            rows_difference <> 0
            or unaccounted_rows > 0
            or (unbilled_amount <> 0 and not (is_month_closed and ppa_line_count > 0))
            or (uncorrected_quantity <> 0 and unbilled_amount = 0)
        ) as is_flagged

    from compared

)

select * from final
