-- The accounts list filters by owner: the account's own owner (set for account-owner routing) or its people's.
CREATE INDEX ix_accounts_owner ON accounts (owner_id);
