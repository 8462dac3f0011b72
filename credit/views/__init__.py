"""Credit pages, one module per topic: rule sets, rating runs, assessments (the window, the
grid, progress, credit events and the spreadsheet imports), publication (the publicity notice,
objections, notices) and the public red and black list; `credit.urls` routes to them."""
