-- Menu versions are kept as whole documents: format 2 has texts per locale, allergens, nutrition,
-- dayparts and more, which the terminal reads back whole. Versions already received are written as
-- the format 1 documents they were (the terminal reads both), before their tables go.
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_MenuVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_MenuVersion" ("id", "name", "document", "receivedAt")
SELECT v."id", v."name", json_object(
    'name', v."name",
    'currency', v."currency",
    'categories', (SELECT json_group_array(json_object('id', c."id", 'name', c."name"))
                     FROM (SELECT * FROM "MenuCategory" WHERE "menuVersionId" = v."id" ORDER BY "position") c),
    'items', (SELECT json_group_array(json_patch(
                       json_object('id', i."id", 'categoryId', i."categoryId", 'name', i."name", 'description', i."description",
                                   'priceCents', i."priceCents", 'modifierGroupIds', json(i."modifierGroupIds")),
                       CASE WHEN i."image" IS NULL THEN '{}' ELSE json_object('image', i."image") END))
                FROM (SELECT * FROM "MenuItem" WHERE "menuVersionId" = v."id" ORDER BY "position") i),
    'modifierGroups', (SELECT json_group_array(json_object(
                         'id', g."id", 'name', g."name", 'minChoices', g."minChoices", 'maxChoices', g."maxChoices",
                         'options', (SELECT json_group_array(json_patch(
                                              json_object('id', o."id", 'name', o."name", 'priceDeltaCents', o."priceDeltaCents"),
                                              CASE WHEN o."isDefault" THEN '{"default":true}' ELSE '{}' END))
                                       FROM (SELECT * FROM "ModifierOption" WHERE "menuVersionId" = v."id" AND "groupId" = g."id" ORDER BY "position") o)))
                         FROM (SELECT * FROM "ModifierGroup" WHERE "menuVersionId" = v."id" ORDER BY "position") g)
), v."receivedAt"
FROM "MenuVersion" v;
DROP TABLE "ModifierOption";
DROP TABLE "ModifierGroup";
DROP TABLE "MenuItem";
DROP TABLE "MenuCategory";
DROP TABLE "MenuVersion";
ALTER TABLE "new_MenuVersion" RENAME TO "MenuVersion";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
