# Tests for the iris-r example bundle, base R plus jsonlite (CI runs them):
#
#   cd examples/iris-r && Rscript --vanilla tests/test-model.R
#
# Besides the model's own checks, it asks examples/iris-python for the same 150 answers and
# wants the same bytes: the two examples are one model in two languages.

bundle <- normalizePath(".")
failures <- 0L
check <- function(what, ok) {
  if (isTRUE(ok)) {
    cat("ok  ", what, "\n")
  } else {
    cat("FAIL", what, "\n")
    failures <<- failures + 1L
  }
}
fails_with <- function(expr, pattern) {
  message <- tryCatch({
    force(expr)
    ""
  }, error = conditionMessage)
  grepl(pattern, message, fixed = TRUE)
}

logged <- character(0)
ctx <- list(
  model_dir = bundle,
  coefficients_dir = file.path(bundle, "coefficients"),
  config = list(LOG_PREDICTIONS = "false"),
  logger = list(info = function(...) logged <<- c(logged, paste0(...))),
  ignite = NULL
)
model <- new.env()
sys.source(file.path(bundle, "model.R"), envir = model)
check("predict before init says so", fails_with(model$predict("{}"), "init(ctx) must run before predict"))
model$init(ctx)
check("init logs the training accuracy", any(grepl("training accuracy 0.98", logged, fixed = TRUE)))

classify <- function(...) jsonlite::parse_json(model$predict(jsonlite::toJSON(list(features = c(...)))))
check("setosa", classify(5.1, 3.5, 1.4, 0.2)$class == "setosa")
check("versicolor", classify(7.0, 3.2, 4.7, 1.4)$class == "versicolor")
check("virginica", classify(6.3, 3.3, 6.0, 2.5)$class == "virginica")

manifest <- readLines(file.path(bundle, "ml-run.yaml"))
expected <- sub("^  expectOutput: '(.*)'$", "\\1", grep("^  expectOutput:", manifest, value = TRUE))
check("the manifest's selfTest output", model$predict('{"features":[5.1,3.5,1.4,0.2]}') == expected)

rows <- read.csv(file.path(bundle, "..", "iris-python", "training", "iris.csv"))
instances <- unname(as.matrix(rows[, 1:4]))
batch <- jsonlite::toJSON(list(instances = instances), digits = NA)
answers <- jsonlite::parse_json(model$predict(batch))$predictions
accuracy <- mean(vapply(answers, function(a) a$class, "") == rows$species)
check(sprintf("accuracy on iris.csv is 0.98 (got %.4f)", accuracy), round(accuracy, 4) == 0.98)

check("not JSON", fails_with(model$predict("nope"), "input is not valid JSON"))
check("three numbers", fails_with(model$predict('{"features":[1,2,3]}'), "exactly 4 numbers, got 3"))
check("a string", fails_with(model$predict('{"features":[1,2,3,"x"]}'), '"features"[3] (petal_width) must be a finite number'))
check("both keys", fails_with(model$predict('{"features":[1,2,3,4],"instances":[[1,2,3,4]]}'), "not both"))
check("empty batch", fails_with(model$predict('{"instances":[]}'), "non-empty list of rows"))

broken <- tempfile()
dir.create(broken)
writeLines('{"classes":["a","b"],"features":["x"],"mean":[0],"std":[0],"weights":[[1],[2]],"bias":[0,0]}', file.path(broken, "model.json"))
other <- new.env()
sys.source(file.path(bundle, "model.R"), envir = other)
check("a zero std in model.json", fails_with(other$init(modifyList(ctx, list(coefficients_dir = broken))), "'std' must be all > 0"))

python <- Sys.which("python3")
if (nzchar(python)) {
  script <- paste(
    "import json, sys, types",
    "sys.path.insert(0, sys.argv[1])",
    "import model",
    "model.init(types.SimpleNamespace(model_dir=sys.argv[1], coefficients_dir=sys.argv[1] + '/coefficients', config={}, logger=None))",
    "print(model.predict(sys.stdin.read()))",
    sep = "\n"
  )
  python_answer <- system2(python, c("-c", shQuote(script), shQuote(file.path(bundle, "..", "iris-python"))),
    input = batch, stdout = TRUE
  )
  check("the same bytes as examples/iris-python for all 150 flowers", identical(python_answer, model$predict(batch)))
} else {
  cat("skip  comparison with examples/iris-python: no python3\n")
}

if (failures > 0L) quit(save = "no", status = 1L)
cat("all iris-r tests passed\n")
