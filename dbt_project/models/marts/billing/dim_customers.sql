-- Customers (agencies or departments) billed by the shared-service provider.
with

customers as (

    select * from {{ ref('customers') }}

),

cost_centers as (

    select * from {{ ref('cost_centers') }}

),

cost_center_counts as (

    select
        customer_id,
        count(*) as cost_center_count

    from cost_centers
    group by customer_id

),

final as (

    select
        customers.customer_id,
        customers.customer_name,
        customers.customer_code,
        customers.customer_type,
        customers.billing_currency,
        customers.is_active,
        customers.country_code,
        customers.issuing_entity_id,
        customers.tax_code,
        customers.vat_number,
        coalesce(cost_center_counts.cost_center_count, 0) as cost_center_count

    from customers
    left join cost_center_counts
        on customers.customer_id = cost_center_counts.customer_id

)

select * from final
