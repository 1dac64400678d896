-- wrk script: rotates through 120 varied searches of the trainers API (words, half-typed
-- words, filters, pages) with a bearer token (TOKEN in the environment).
local words = { "inclusive", "education", "numerique", "evaluation", "geometrie", "lecture",
  "oral", "laicite", "egalite", "climat", "decrochage", "maternelle", "sciences", "histoire",
  "anglais", "handicap", "autisme", "cooperation", "projet", "recherche", "didactique",
  "harcelement", "orientation", "grammaire", "calcul", "mater", "geom", "incl", "num", "eval" }
local filters = { "", "&degree=1D", "&degree=2D&site=rhone", "&site=loire&weekday=mercredi",
  "&validated=1", "&discipline=mathematiques", "&page=2" }
local queries = {}
for i, w in ipairs(words) do
  for j = 0, 3 do
    queries[#queries + 1] = "q=" .. w .. filters[((i + j) % #filters) + 1]
  end
end
local i = 0
request = function()
  i = i + 1
  local path = "/api/v1/trainers?" .. queries[(i % #queries) + 1]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") })
end
