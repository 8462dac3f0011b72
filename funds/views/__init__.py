"""Fund pages, one module per topic: accounts, emergency, ordinary, plans and the public
pages (notices, a compound's fund and plan); `funds.urls` routes to them."""
