"""planbot: plan SaaS marketing content along the customer journey."""
