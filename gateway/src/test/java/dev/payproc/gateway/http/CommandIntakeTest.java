package dev.payproc.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.core.model.Operation;
import dev.payproc.core.pipeline.Command;
import dev.payproc.core.pipeline.LifecycleCommand;
import dev.payproc.core.port.CommandRouter;
import dev.payproc.core.stage.HandOff;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Commands admitted in one event-loop turn wake their risk shard once, when the turn's tasks run. */
class CommandIntakeTest {
    /** One shard's intake, as the risk engine routes into it; the test is its consumer. */
    private final HandOff<Command> shard = new HandOff<>("intake-0", 64);

    private final AtomicInteger wakes = new AtomicInteger();
    private final List<Runnable> turnEnd = new ArrayList<>();
    private final CommandIntake intake = new CommandIntake(
            new CommandRouter() {
                @Override
                public boolean offer(Command command) {
                    return shard.offer(command);
                }

                @Override
                public void signalWaiting() {
                    if (!shard.isEmpty()) shard.signal();
                }
            },
            new Admission(100, 1),
            turnEnd::add);

    CommandIntakeTest() {
        shard.onSignal(wakes::incrementAndGet);
    }

    @Test
    void commandsOfOneTurnShareOneWakeUpAtItsEnd() {
        for (int i = 0; i < 3; i++) submit("k-" + i);
        assertEquals(0, wakes.get(), "not while the loop is still reading");
        assertEquals(1, turnEnd.size(), "one wake-up queued for the turn");
        runTurnEnd();
        assertEquals(1, wakes.get());
        assertEquals(3, shard.size());

        submit("k-next");
        assertEquals(1, turnEnd.size(), "the next turn queues its own");
        runTurnEnd();
        assertEquals(2, wakes.get());
    }

    private void submit(String key) {
        intake.submit(
                null,
                "m-1",
                sink -> new LifecycleCommand(
                        Operation.CAPTURE,
                        "pay_1",
                        "m-1",
                        null,
                        key,
                        new byte[32],
                        System.nanoTime(),
                        sink)); // admitted, so nothing answers on the (absent) request
    }

    private void runTurnEnd() {
        List<Runnable> due = new ArrayList<>(turnEnd);
        turnEnd.clear();
        due.forEach(Runnable::run);
    }
}
