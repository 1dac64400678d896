-- wrk script: rotates through varied searches of the trainers API with a bearer token
-- (TOKEN in the environment), so the server cannot answer from one hot path.
local queries = {
  "q=inclusive", "q=education&degree=1D", "q=numerique&site=rhone", "q=mater",
  "degree=2D&site=loire", "q=evaluation&validated=1", "discipline=mathematiques&weekday=jeudi",
  "q=geometrie+calcul", "page=3", "q=laicite&page=2", "site=ain&validated=1",
  "q=harcelement&degree=2D&weekday=mardi",
}
local i = 0
request = function()
  i = i + 1
  local path = "/api/v1/trainers?" .. queries[(i % #queries) + 1]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") })
end
