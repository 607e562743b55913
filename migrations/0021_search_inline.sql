-- Keep an entry's search document in its row: with the default storage, the document (the row's
-- largest value) went to TOAST first in every row over 2 KB (a third of the rows of the memory
-- benchmark), and search read it through the TOAST index for each candidate it checked or ranked
-- (about four buffers for such a row instead of one). MAIN moves the row's other large values (data, body) first,
-- and the document out of line only when the row still does not fit. Rows already written keep
-- their document where it is until the table is rewritten (VACUUM FULL entries).
ALTER TABLE "entries" ALTER COLUMN "search" SET STORAGE MAIN;
