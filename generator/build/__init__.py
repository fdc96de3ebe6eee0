"""Build: plan the documents, leave what did not change, render the rest (in parallel), stage and commit them."""
