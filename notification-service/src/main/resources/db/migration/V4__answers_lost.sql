-- How many times the provider's answer to this request was lost after the email went out (no answer in
-- time, the connection broken after sending): the provider may hold the email then, so it is sent again
-- only a few times (nhsv2.email.later.resends-after-lost-answer) and then answered as failed for good.
-- Committed on its own, whatever the handling does next, so neither a redelivery, a requeue nor the
-- requester asking again with the same id starts the count afresh. Such a row is committed with a NULL
-- outcome until the request is handled (V1 said NULL only inside the handling transaction).
ALTER TABLE handled_request ADD COLUMN answers_lost integer NOT NULL DEFAULT 0;
