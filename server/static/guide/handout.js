// The handout's one control: print (the page itself is static).
document.getElementById("print").addEventListener("click", () => window.print());
